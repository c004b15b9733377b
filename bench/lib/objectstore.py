"""The object-store phase: Berth and docker-registry on one Ceph RADOS Gateway (a bucket each) and one Redis (a
database each), each configured as its own documentation recommends for several nodes, measured on the issue's
workloads: 4 parallel monolithic uploads and downloads (redirected to RGW; streamed by a second node with redirects
disabled; repeated on a third Berth node with `storage.cache.blobs`, which also takes a push and its pull), manifest GET by tag, a catalog page from the middle, and the
peak resident memory of a fresh process during 4 parallel large uploads.

Metrics carry an `s3_` prefix so the report puts them beside the filesystem ones."""
import os
import shutil
import statistics
import time

import datagen
import workloads
from client import OCI_MANIFEST, Client
from servers import Server, stopping
from services import Redis, Rgw
from workloads import with_client

PROFILES = {
    # memstore holds what is stored in RAM at ~1.7x: sized for the largest moment, the memory test (4 uploads plus the
    # copies docker-registry makes of them on commit) after the main buckets are purged.
    # quick: 300 repositories, as docker-registry lists one S3 "folder" per repository for every catalog page.
    "quick": dict(rounds=1, seconds=3, repos=300, samples=5, catalog_budget_s=20, memory_mib=128, memstore_gib=3),
    "full": dict(rounds=3, seconds=15, repos=10000, samples=7, catalog_budget_s=20, memory_mib=1024,
                 memstore_gib=12),
}
NAMES = ("berth", "registry")
REDIS_DB = {"berth": 0, "registry": 1}
# registry:2 needs the same http.secret on every node (upload state travels in it); Berth takes the key too.
HTTP_SECRET = "berth-bench-shared-http-secret"
CHUNK = 16 << 20


def server_env(name, rgw, redis, bucket):
    """The S3 bucket, Redis and http.secret settings of one node of a multi-node deployment of `name`."""
    env = rgw.storage_env(bucket)
    env.update(REGISTRY_REDIS_ADDR=redis.addr, REGISTRY_REDIS_DB=str(REDIS_DB[name]), REGISTRY_HTTP_SECRET=HTTP_SECRET)
    if name == "registry":
        # registry:2's documentation for several nodes: the blob descriptor cache in the shared Redis.
        env["REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR"] = "redis"
    return env


def _start(server, failures, log):
    """Starts one server; a server that cannot serve S3 (a Berth build without the driver) is reported, not fatal."""
    try:
        server.start()
        return True
    except RuntimeError as error:
        # Without the stack frames of a .NET exception, the message that says why stays in sight.
        why = "\n".join(line for line in str(error).splitlines() if not line.lstrip().startswith("at "))
        failures[server.name] = why[-1500:]
        log(f"  {server.name} did not start on S3; its object-store rows stay empty: {why[-600:]}")
        return False


def _catalog_ms(server, profile):
    # registry:2's page can take minutes here (see catalog_page_ms): a long timeout and a time budget for samples.
    client = Client(server.port, timeout=3600)
    try:
        return workloads.catalog_page_ms(client, profile["repos"], profile["samples"], profile["catalog_budget_s"])
    finally:
        client.close()


def _round(index, servers, streaming, caching, data, profile, rgw, log):
    run_id = f"s3r{index}"
    workload_list = [
        ("manifest GET by tag", lambda s: dict(zip(("manifest_tag_rps", "manifest_tag_p99"), workloads.wrk(
            s.port, f"/v2/{data[s.name]['small_repo']}/manifests/latest", profile["seconds"], 50, OCI_MANIFEST)))),
        ("upload/download", lambda s: workloads.transfers(s, data[s.name], run_id, CHUNK,
                                                          only=("upload_mono_mibs", "download_mibs"))),
        ("catalog", lambda s: {"catalog_ms": _catalog_ms(s, profile)}),
    ]
    results = workloads.alternate(index, servers, workload_list, log)
    extra = [
        (streaming, "download, redirect disabled", lambda s: {"download_streamed_mibs": _download(s, data)}),
        (caching, "download, repeated pull", lambda s: {"download_repeated_mibs": _repeated_download(s, data)}),
        (caching, "push then pull", lambda s: {"push_pull_mibs": _push_then_pull(s, data, run_id, rgw)}),
    ]
    for nodes, title, workload in extra:
        for name, measured in workloads.alternate(index, nodes, [(title, workload)], log).items():
            results[name].update(measured)
    return results


def _download(server, data):
    return workloads.transfers(server, data[server.name], "download", CHUNK, only=("download_mibs",))["download_mibs"]


def _repeated_download(server, data):
    """A pull of blobs this node has served before: Berth's node with `storage.cache.blobs` holds copies by then
    (waited for), docker-registry has no such cache and redirects again."""
    _download(server, data)
    _wait_for_copies(server, [digest for _, digest in data[server.name]["big_files"]])
    return _download(server, data)


def _push_then_pull(server, data, run_id, rgw):
    """4 parallel monolithic uploads of new content, then 4 parallel downloads of it through the same node: MiB/s of
    both ways over the whole time. Berth's node with `storage.cache.blobs` sends the pull from the copies it made
    during the push (the wait for them to be checked is counted); docker-registry redirects to RGW."""
    files, mib = data[server.name]["big_files"], data[server.name]["big_mib"] * len(data[server.name]["big_files"])
    uploads = workloads.fresh_uploads(files, f"{server.name} {run_id} push-then-pull")
    repo = f"bench/pp-{run_id}"
    start = time.monotonic()
    for name, job in (("push", lambda c, i: c.upload_monolithic(repo, *uploads[i])),
                      ("pull", lambda c, i: c.download(repo, uploads[i][1], bytearray(1 << 20)))):
        _, _, errors = workloads.parallel(len(uploads), lambda i, job=job: with_client(server.port, lambda c: job(c, i)))
        if errors:
            raise RuntimeError(f"{server.name} push then pull, {name}: {errors[0]}")
        if name == "push":
            _wait_for_copies(server, [digest for _, digest, _ in uploads])
    mibs = 2 * mib / (time.monotonic() - start)
    # The OSD keeps objects in RAM: without this, each round's new blobs would fill the memstore sized for the others.
    rgw.remove(server.name, [f"docker/registry/v2/blobs/sha256/{d[7:9]}/{d[7:]}/data" for _, d, _ in uploads])
    return mibs


def _wait_for_copies(server, digests):
    """Until a node with `storage.cache.blobs` holds copies of the blobs; nothing for a node without."""
    if not server.blob_cache:
        return
    hexes = [digest.split(":", 1)[1] for digest in digests]
    deadline = time.monotonic() + 600
    while not all(os.path.exists(os.path.join(server.blob_cache, "sha256", h)) for h in hexes):
        if time.monotonic() > deadline:
            raise RuntimeError("berth's blob cache did not get the blobs within 10 minutes")
        time.sleep(0.05)


def _start_nodes(berth, workdir, rgw, redis, failures, log, servers, streaming, caching):
    """Fills the dicts, per registry: its node as documented for several nodes, a second with redirects disabled; and
    for Berth a third with `storage.cache.blobs` (paired with docker-registry's first node, which has no such cache)."""
    for name in NAMES:
        rgw.bucket(name)
        env = server_env(name, rgw, redis, name)
        server = Server(name, berth, workdir, storage_env=env)
        if not _start(server, failures, log):
            continue
        servers[name] = server
        # It carries the bytes of a blob GET itself, as it must where clients cannot reach the object store.
        node = Server(name, berth, workdir, storage_env=env | {"REGISTRY_STORAGE_REDIRECT_DISABLE": "true"})
        if _start(node, failures, log):
            streaming[name] = node
        if name == "berth":
            cache = os.path.join(workdir, "blob-cache")
            node = Server(name, berth, workdir, storage_env=env | {"REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY": cache})
            node.blob_cache = cache
            if _start(node, failures, log):
                caching[name] = node
        else:
            server.blob_cache = None
            caching[name] = server


def _main_workloads(berth, workdir, rgw, redis, shared, profile, failures, log):
    """Loads both servers and runs the rounds; returns ({name: medians}, raw rounds)."""
    servers, streaming, caching = {}, {}, {}
    with stopping(servers), stopping(streaming), stopping(caching):
        _start_nodes(berth, workdir, rgw, redis, failures, log, servers, streaming, caching)
        data, medians = {}, {name: {} for name in servers}
        for name, server in servers.items():
            data[name], medians[name]["load_s"] = workloads.prepare(server, shared, profile["repos"], 0)
            log(f"  {name}: {profile['repos']} repositories loaded into S3 in {medians[name]['load_s']:.1f}s")
        rounds = [_round(index, servers, streaming, caching, data, profile, rgw, log) for index in range(profile["rounds"])]
    for name in servers:
        medians[name].update({metric: statistics.median(r[name][metric] for r in rounds) for metric in rounds[0][name]})
    return medians, rounds


def _peak_memory(berth, workdir, rgw, redis, files, failures, log):
    """VmHWM of a fresh process of each server during 4 parallel monolithic uploads of `files`, on a bucket of its own
    that is purged afterwards so the two tests never hold their data in the OSD at once."""
    peaks = {}
    mib = sum(os.path.getsize(path) for path, _ in files) >> 20
    for name in NAMES:
        bucket = f"{name}-memory"
        rgw.bucket(bucket)
        server = Server(name, berth, workdir, storage_env=server_env(name, rgw, redis, bucket))
        try:
            with stopping({name: server}):
                if not _start(server, failures, log):
                    continue
                seconds, _, errors = workloads.parallel(len(files), lambda i: with_client(
                    server.port, lambda c: c.upload_monolithic("bench/memory", *files[i])))
                if errors:
                    raise RuntimeError(f"{name} memory-test upload: {errors[0]}")
                peaks[name] = {"rss_peak_upload": server.peak_mib(), "upload_large_mibs": mib / seconds}
            log(f"  {name}: peak RSS {peaks[name]['rss_peak_upload']:.1f} MiB during {len(files)} parallel uploads "
                f"of {mib // len(files)} MiB ({peaks[name]['upload_large_mibs']:.0f} MiB/s)")
        finally:
            rgw.purge(bucket)
    return peaks


def run(berth, workdir, script, mode, big_files, big_mib, log):
    """The whole phase. Returns {"medians": {name: {s3_metric: value}}, "rounds": [...], "failures": {name: why}}."""
    profile = PROFILES[mode]
    # run.sh's trap stops an RGW left in workdir/rgw (the name is fixed for it).
    rgw = Rgw(script, os.path.join(workdir, "rgw"), profile["memstore_gib"] << 30)
    redis = Redis(os.path.join(workdir, "redis"))
    failures = {}
    memory_dir = os.path.join(workdir, "data", "memory")
    try:
        log(f"object store: starting Ceph RGW (memstore {profile['memstore_gib']} GiB) and Redis; {profile}")
        rgw.start()
        redis.start()
        shared = {"small_repo": "bench/small", "big_files": big_files, "big_mib": big_mib}
        medians, rounds = _main_workloads(berth, workdir, rgw, redis, shared, profile, failures, log)
        for name in NAMES:
            rgw.purge(name)  # the OSD keeps data in RAM: free it before the largest test
        os.makedirs(memory_dir)
        files = datagen.big_files(memory_dir, 4, profile["memory_mib"])
        for name, peak in _peak_memory(berth, workdir, rgw, redis, files, failures, log).items():
            medians.setdefault(name, {}).update(peak)
    finally:
        shutil.rmtree(memory_dir, ignore_errors=True)
        redis.stop()
        rgw.stop()
    prefixed = {name: {f"s3_{metric}": value for metric, value in medians.get(name, {}).items()} for name in NAMES}
    return {"medians": prefixed, "rounds": rounds, "failures": failures, "profile": profile}
