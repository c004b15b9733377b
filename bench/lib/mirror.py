"""The pull-through cache, side by side: Berth and docker-registry each in registry:2's proxy mode
(REGISTRY_PROXY_REMOTEURL) in front of one upstream docker-registry that holds an image of 4 layers.

Per round and per server, on a fresh cache each time:
- cold pull: the manifest by tag, then the config and the 4 layers on 4 parallel connections, all from the upstream;
- warm pull: the same pull again, now served from the cache;
- 20 cold pulls at once (a fresh cache again): their time, and the bytes the upstream sent for them, read from the
  upstream's access log (Berth fetches each blob once however many clients ask).
"""
import os
import re
import statistics
import threading
import time

import datagen
import workloads
from client import Client, manifest, config_blob, sha256_bytes, RegistryError
from servers import Server, stopping

NAMES = ("berth", "registry")
REPOSITORY = "library/bench"
CONCURRENT_PULLS = 20
PROFILES = {"quick": dict(rounds=1, layer_mib=16), "full": dict(rounds=3, layer_mib=64)}
# The upstream's access log (Apache combined format): the status and the bytes of each blob GET.
BLOB_GET = re.compile(r'"GET /v2/[^ ]+/blobs/sha256:[0-9a-f]{64} HTTP/1\.1" 200 (\d+)')


def seed_upstream(upstream, files):
    """Pushes the image (config + the files as layers) to the upstream; returns the list of blob digests to pull."""
    client = Client(upstream.port)
    try:
        layers = []
        for path, digest in files:
            client.upload_monolithic(REPOSITORY, path, digest)
            layers.append((digest, os.path.getsize(path)))
        config = config_blob("mirror")
        config_digest = client.upload_bytes(REPOSITORY, config)
        client.put_manifest(REPOSITORY, "1", manifest(config_digest, len(config), layers))
        return [config_digest] + [digest for digest, _ in layers]
    finally:
        client.close()


def pull(port, blobs):
    """One client's pull: the manifest by tag, then every blob on 4 parallel connections; returns seconds."""
    started = time.perf_counter()
    client = Client(port)
    try:
        client.request("GET", f"/v2/{REPOSITORY}/manifests/1",
                       headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
    finally:
        client.close()
    errors = []

    def fetch(digests):
        buffer = bytearray(1 << 20)
        connection = Client(port)
        try:
            for digest in digests:
                connection.download(REPOSITORY, digest, buffer)
        except (RegistryError, OSError) as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch, args=(blobs[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RegistryError(errors[0])
    return time.perf_counter() - started


def upstream_bytes(upstream):
    with open(os.path.join(upstream.workdir, "server.log"), errors="replace") as log:
        return sum(int(match.group(1)) for match in BLOB_GET.finditer(log.read()))


def proxy(name, berth, workdir, upstream):
    server = Server(name, berth, workdir, extra_env={"REGISTRY_PROXY_REMOTEURL": f"http://127.0.0.1:{upstream.port}"})
    server.start()
    return server


def one_round(round_index, berth, workdir, upstream, blobs, log):
    order = list(NAMES) if round_index % 2 == 0 else list(reversed(NAMES))
    results = {name: {} for name in NAMES}
    for name in order:
        servers = {"proxy": proxy(name, berth, workdir, upstream)}
        with stopping(servers):
            results[name]["mirror_cold_s"] = pull(servers["proxy"].port, blobs)
            results[name]["mirror_warm_s"] = pull(servers["proxy"].port, blobs)
        servers = {"proxy": proxy(name, berth, workdir, upstream)}
        with stopping(servers):
            before = upstream_bytes(upstream)
            seconds, _, errors = workloads.parallel(CONCURRENT_PULLS, lambda _: pull(servers["proxy"].port, blobs))
            # The upstream writes its access line once the answer is sent: wait for the log to settle.
            time.sleep(1)
            results[name]["mirror_pulls20_s"] = seconds
            results[name]["mirror_pulls20_errors"] = len(errors)
            results[name]["mirror_pulls20_upstream_mib"] = (upstream_bytes(upstream) - before) / (1 << 20)
            for error in errors[:3]:
                log(f"    {name} pull error: {error}")
        log(f"  round {round_index + 1} mirror {name}: " + ", ".join(f"{k}={v:.2f}" for k, v in results[name].items()))
    return results


def run(berth, workdir, mode, log):
    """Returns {"profile", "medians": {name: {metric: value}}, "image_mib"}."""
    profile = PROFILES[mode]
    data_dir = os.path.join(workdir, "mirror-data")
    os.makedirs(data_dir)
    files = datagen.big_files(data_dir, 4, profile["layer_mib"])
    upstream = Server("registry", berth, workdir, extra_env={"REGISTRY_LOG_ACCESSLOG_DISABLED": "false",
                                                             "REGISTRY_LOG_LEVEL": "info"})
    with stopping({"upstream": upstream}):
        upstream.start()
        blobs = seed_upstream(upstream, files)
        log(f"mirror: upstream holds {REPOSITORY}:1, 4 x {profile['layer_mib']} MiB layers")
        rounds = [one_round(i, berth, workdir, upstream, blobs, log) for i in range(profile["rounds"])]
    medians = {name: {metric: statistics.median(r[name][metric] for r in rounds) for metric in rounds[0][name]}
               for name in NAMES}
    return {"profile": profile, "medians": medians, "image_mib": 4 * profile["layer_mib"]}


def markdown(result):
    """The phase's table: seconds (lower is better) and the upstream bytes of 20 cold pulls."""
    berth, registry = result["medians"]["berth"], result["medians"]["registry"]
    rows = [
        ("cold pull through the cache, s", "mirror_cold_s"),
        ("warm pull from the cache, s", "mirror_warm_s"),
        (f"{CONCURRENT_PULLS} concurrent cold pulls, s", "mirror_pulls20_s"),
        (f"{CONCURRENT_PULLS} concurrent cold pulls: MiB fetched upstream", "mirror_pulls20_upstream_mib"),
    ]
    lines = [f"### Pull-through cache (image of {result['image_mib']} MiB in 4 layers; lower is better)", "",
             "| workload | Berth | docker-registry | Berth advantage |", "|---|---:|---:|---:|"]
    for title, metric in rows:
        ratio = registry[metric] / berth[metric] if berth[metric] else float("nan")
        lines.append(f"| {title} | {berth[metric]:.2f} | {registry[metric]:.2f} | {ratio:.2f}x |")
    errors = {name: result["medians"][name]["mirror_pulls20_errors"] for name in NAMES}
    if any(errors.values()):
        lines.append(f"\nFailed pulls of the 20: Berth {errors['berth']:.0f}, docker-registry {errors['registry']:.0f}.")
    return "\n".join(lines) + "\n"
