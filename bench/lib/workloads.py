"""The measured workloads. Each takes a running Server and returns {metric: value}."""
import os
import random
import re
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from client import Client, config_blob, manifest, sha256_bytes, sha256_state, OCI_MANIFEST


def _p99_ms(pattern, output, units):
    value, unit = re.search(pattern, output, re.M).groups()
    return float(value) * units[unit]


def wrk(port, path, seconds, connections, accept, scheme="http", headers=()):
    """requests/s and p99 ms of `wrk` GETting one URL; non-2xx answers are printed."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Accept: {accept}"]
    for header in headers:
        command += ["-H", header]
    command.append(f"{scheme}://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for problem in re.findall(r"(Non-2xx or 3xx responses:.*|Socket errors:.*)", output):
        print(f"    wrk {path}: {problem}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, _p99_ms(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, {"us": 0.001, "ms": 1.0, "s": 1000.0})


def hey_head(port, path, seconds, connections):
    """requests/s and p99 ms of `hey` sending HEAD: wrk waits for a body after HEAD and stalls."""
    command = ["hey", "-z", f"{seconds}s", "-c", str(connections), "-m", "HEAD", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    codes = re.findall(r"\[(\d+)\]\s+(\d+) responses", output)
    if any(code != "200" for code, _ in codes) or "Error distribution" in output:
        print(f"    hey {path}: status codes {codes}, {output[output.find('Error distribution'):][:300]}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, _p99_ms(r"99% in ([\d.]+) (secs)", output, {"secs": 1000.0})


def request_rates(server, data, seconds, connections=50):
    repo, digest = data["small_repo"], data["small"]["manifest"]
    by_tag = wrk(server.port, f"/v2/{repo}/manifests/latest", seconds, connections, OCI_MANIFEST)
    by_digest = wrk(server.port, f"/v2/{repo}/manifests/{digest}", seconds, connections, OCI_MANIFEST)
    head, _ = hey_head(server.port, f"/v2/{repo}/blobs/{data['small']['layer']}", seconds, connections)
    return {"manifest_tag_rps": by_tag[0], "manifest_tag_p99": by_tag[1],
            "manifest_digest_rps": by_digest[0], "manifest_digest_p99": by_digest[1], "blob_head_rps": head}


def parallel(count, work):
    """Runs work(i) on `count` threads started together; returns (seconds, results, errors)."""
    barrier = threading.Barrier(count + 1)
    results, errors = [None] * count, []

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # counted and shown, the run goes on
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results, errors


def alternate(round_index, servers, workload_list, log):
    """Runs each (title, workload) of the list on every server, who goes first alternating from round to round
    so neither always meets the other's leftovers (page cache, garbage collection); returns {name: {metric: value}}."""
    order = list(servers) if round_index % 2 == 0 else list(reversed(servers))
    results = {name: {} for name in servers}
    for title, workload in workload_list:
        for name in order:
            servers[name].check_alive()
            measured = workload(servers[name])
            results[name].update(measured)
            log(f"  round {round_index + 1} {title} {name}: " + ", ".join(f"{k}={v:.1f}" for k, v in measured.items()))
    return results


def with_client(port, action):
    client = Client(port)
    try:
        return action(client)
    finally:
        client.close()


_file_hashes = {}


def fresh_uploads(files, label):
    """The files, each to be sent with a tail of its own: content no server holds yet, so that an upload measures
    storing it, not a server finding it already has the blob (both registries then skip work, Berth more of it).
    Returns [(path, digest, tail)]; the digest extends the file's hash, computed once per run."""
    uploads = []
    for path, _ in files:
        if path not in _file_hashes:
            _file_hashes[path] = sha256_state(path)
        tail = f"\n{label}\n".encode()
        digest = _file_hashes[path].copy()
        digest.update(tail)
        uploads.append((path, "sha256:" + digest.hexdigest(), tail))
    return uploads


def transfers(server, data, run_id, chunk, only=None):
    """4 parallel monolithic uploads, 4 parallel chunked uploads (each of content new to the server) and 4 parallel
    downloads: MiB/s.

    `only`: the metrics to measure (all three when None)."""
    files, mib = data["big_files"], data["big_mib"] * len(data["big_files"])
    mono, chunked = (fresh_uploads(files, f"{server.name} {run_id} {kind}") for kind in ("monolithic", "chunked"))
    results = {}
    jobs = {
        "upload_mono_mibs": lambda c, i: c.upload_monolithic(f"bench/up-{run_id}", *mono[i]),
        "upload_chunked_mibs": lambda c, i: c.upload_chunked(f"bench/upc-{run_id}", chunked[i][0], chunked[i][1], chunk,
                                                             chunked[i][2]),
        "download_mibs": lambda c, i: c.download("bench/big-blobs", files[i][1], bytearray(1 << 20)),
    }
    for metric, job in jobs.items():
        if only is not None and metric not in only:
            continue
        seconds, _, errors = parallel(len(files), lambda i, job=job: with_client(server.port, lambda c: job(c, i)))
        if errors:
            raise RuntimeError(f"{server.name} {metric}: {errors[0]}")
        results[metric] = mib / seconds
    return results


def small_image(client, repo, label, tag="latest"):
    """Pushes a distinct 2-blob image (config + one small layer); returns its digests and manifest bytes."""
    config = config_blob(label)
    layer = random.Random(label).randbytes(2048)  # same label, same bytes: both servers get identical data
    config_digest = client.upload_bytes(repo, config)
    layer_digest = client.upload_bytes(repo, layer)
    body = manifest(config_digest, len(config), [(layer_digest, len(layer))])
    client.put_manifest(repo, tag, body)
    return {"manifest": sha256_bytes(body), "manifest_bytes": body, "config": config_digest, "layer": layer_digest}


def concurrent_pushes(server, run_id, count=100):
    """`count` clients each push a distinct small image to its own repository at once."""
    seconds, _, errors = parallel(count, lambda i: with_client(
        server.port, lambda c: small_image(c, f"push-{run_id}/img-{i:03}", f"{run_id}-{i}")))
    for error in errors[:3]:
        print(f"    {server.name} push error: {error}")
    return {"push100_s": seconds, "push100_errors": len(errors)}


def load_many(port, count, work, threads=8):
    """Runs work(client, i) for i < count over `threads` keep-alive connections."""
    def worker(t):
        client = Client(port)
        try:
            for i in range(t, count, threads):
                work(client, i)
        finally:
            client.close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))


def load_catalog(server, data, repos, tags):
    """`repos` repositories (mounting one shared config + layer, then a manifest) and one repo with `tags` tags."""
    base, small = data["small_repo"], data["small"]

    def one_repo(client, i):
        repo = f"r/{i:05}"
        client.mount(repo, small["config"], base)
        client.mount(repo, small["layer"], base)
        client.put_manifest(repo, "latest", small["manifest_bytes"])

    load_many(server.port, repos, one_repo)
    with_client(server.port, lambda c: (c.mount("bench/tags", small["config"], base),
                                        c.mount("bench/tags", small["layer"], base)))
    load_many(server.port, tags, lambda c, i: c.put_manifest("bench/tags", f"t{i:05}", small["manifest_bytes"]))


def prepare(server, shared, repos, tags):
    """Loads the shared data into one server: the small image, the big blobs to download, the catalog.

    Returns (the server's data, seconds the catalog load took)."""
    data = dict(shared)
    data["small"] = with_client(server.port, lambda c: small_image(c, data["small_repo"], "base"))
    for path, digest in data["big_files"]:
        with_client(server.port, lambda c: c.upload_monolithic("bench/big-blobs", path, digest))
    started = time.perf_counter()
    load_catalog(server, data, repos, tags)
    return data, time.perf_counter() - started


def catalog_page_ms(client, repos, samples, budget_s=None):
    """Median ms of the catalog page of 100 that starts in the middle of the `repos` loaded repositories.

    With budget_s, no new request starts once that many seconds have passed (at least one is made): registry:2
    walks the store for every page, one S3 list per repository, which on RGW takes minutes at 10,000."""
    middle = f"r/{repos // 2 - 1:05}"
    started, times = time.perf_counter(), []
    while len(times) < samples and (not times or budget_s is None or time.perf_counter() - started < budget_s):
        times.append(client.get_ms(f"/v2/_catalog?n=100&last={middle}"))
    return statistics.median(times)


def listings(server, repos, samples):
    """ms for a catalog page of 100 from the middle of the registry, and for the whole tag list."""
    def timed(client):
        catalog = catalog_page_ms(client, repos, samples)
        tags = [client.get_ms("/v2/bench/tags/tags/list") for _ in range(samples)]
        return {"catalog_ms": catalog, "tags_ms": statistics.median(tags)}

    return with_client(server.port, timed)


def skopeo(server, layout, run_id):
    """skopeo copy of the OCI layout to the registry, then back to a dir:, in seconds; then deletes it."""
    repo = "bench/skopeo"
    target = f"docker://127.0.0.1:{server.port}/{repo}:latest"
    pulled = os.path.join(server.workdir, f"pulled-{run_id}")
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    started = time.perf_counter()
    subprocess.run(["skopeo", "copy", "--dest-tls-verify=false", f"oci:{layout['path']}:latest", target], **quiet)
    pushed = time.perf_counter()
    subprocess.run(["skopeo", "copy", "--src-tls-verify=false", target, f"dir:{pulled}"], **quiet)
    pulled_at = time.perf_counter()
    subprocess.run(["rm", "-rf", pulled], check=True)
    # Delete the image so the next round uploads every byte again instead of finding the blobs there.
    def forget(client):
        client.delete(f"/v2/{repo}/manifests/{layout['manifest']}")
        for digest in layout["blobs"]:
            client.delete(f"/v2/{repo}/blobs/{digest}")

    with_client(server.port, forget)
    return {"skopeo_push_s": pushed - started, "skopeo_pull_s": pulled_at - pushed}
