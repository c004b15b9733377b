"""The maintenance phase: garbage collection, side by side and beside the request path.

1. Offline: `storegen.py` writes a registry:2 store (10,000 repositories and ~100,000 blobs in full mode), copied
   twice with `cp -a`; `berth garbage-collect -m` runs on one copy and `docker-registry garbage-collect -m` on the
   other, each with the registry:2 image's config.yml naming its copy. Wall time and peak resident memory
   (ru_maxrss from os.wait4) of each; then the blobs each left are compared.
2. Online GC beside manifest GET: Berth on a collected copy, wrk on a manifest by tag, with online collection every
   second at grace 0 against collection off.
3. Metrics beside manifest GET: the same, with the debug port's Prometheus metrics on against off.
The Berth-only rows alternate which variant goes first, round by round.
"""
import os
import shutil
import statistics
import subprocess
import time

import storegen
from client import OCI_MANIFEST
from servers import REGISTRY_CONFIG, Server, free_port, stopping
from workloads import wrk

SCHEMA2 = storegen.SCHEMA2
PROFILES = {
    "quick": dict(repos=1000, gc_rounds=1, get_rounds=2, seconds=5, gc_interval="1s"),
    "full": dict(repos=10000, gc_rounds=3, get_rounds=3, seconds=15, gc_interval="1s"),
}
# The manifest the GET rows ask for: a tagged image in the middle of the store.
GET_PATH = "/v2/bench/r{index:05}/manifests/v1"


def _config_file(folder, root):
    """The registry:2 image's config.yml with the root directory of this copy: the same shape for both collectors."""
    path = os.path.join(folder, "config.yml")
    with open(path, "w") as f:
        f.write(REGISTRY_CONFIG.replace("/var/lib/registry", root))
    return path


def _clean_env():
    """No REGISTRY_* or AWS_* of the machine: each collector reads only its config file."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("REGISTRY_", "AWS_"))}


def _run_measured(command, output_path):
    """Runs a command to its end; returns (seconds, peak RSS in MiB, exit code). Output goes to a file."""
    with open(output_path, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_clean_env())
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def _blobs(root):
    """The digests under blobs/ that still have a data file."""
    found = set()
    top = os.path.join(root, "docker", "registry", "v2", "blobs", "sha256")
    for prefix in os.listdir(top):
        for hexdigest in os.listdir(os.path.join(top, prefix)):
            if os.path.exists(os.path.join(top, prefix, hexdigest, "data")):
                found.add(hexdigest)
    return found


def _copy(source, target):
    subprocess.run(["cp", "-a", source, target], check=True)
    return target


def offline_gc(berth, folder, source, rounds, log):
    """Both collectors on fresh copies, `rounds` times alternating who goes first; returns (medians, raw, difference)."""
    berth_command = [berth] if not berth.endswith(".dll") else ["dotnet", berth]
    commands = {"berth": berth_command + ["garbage-collect", "-m"], "registry": ["docker-registry", "garbage-collect", "-m"]}
    results = {name: [] for name in commands}
    difference = None
    for index in range(rounds):
        order = list(commands) if index % 2 == 0 else list(reversed(commands))
        copies = {name: _copy(source, os.path.join(folder, f"{name}-{index}")) for name in commands}
        for name in order:
            # The copies' (and the last collection's) writes go to disk now, not inside the next timed run.
            os.sync()
            config_folder = os.path.join(folder, f"{name}-{index}.d")
            os.makedirs(config_folder, exist_ok=True)
            config = _config_file(config_folder, copies[name])
            seconds, peak, code = _run_measured(commands[name] + [config], os.path.join(folder, f"{name}-{index}.log"))
            if code != 0:
                with open(os.path.join(folder, f"{name}-{index}.log"), "rb") as f:
                    tail = f.read()[-1500:].decode(errors="replace")
                raise RuntimeError(f"{name} garbage-collect exited {code}: {tail}")
            results[name].append({"gc_offline_s": seconds, "gc_offline_rss_peak": peak})
            log(f"  offline GC round {index + 1} {name}: {seconds:.2f} s, peak RSS {peak:.1f} MiB")
        berth_blobs, registry_blobs = _blobs(copies["berth"]), _blobs(copies["registry"])
        difference = {"kept_by_both": len(berth_blobs & registry_blobs), "only_berth_kept": sorted(berth_blobs - registry_blobs),
                      "only_registry_kept": sorted(registry_blobs - berth_blobs)}
        log(f"  blobs left: berth {len(berth_blobs)}, docker-registry {len(registry_blobs)}; only berth kept "
            f"{len(difference['only_berth_kept'])}, only docker-registry kept {len(difference['only_registry_kept'])}")
        if index < rounds - 1:
            for name in commands:
                shutil.rmtree(copies[name])
    medians = {name: {metric: statistics.median(r[metric] for r in runs) for metric in runs[0]} for name, runs in results.items()}
    # The last round's collected copy serves the GET rows.
    return medians, results, difference, copies["berth"]


def _get_rate(berth, workdir, root, env, seconds, path):
    """Berth on `root` with `env`; returns (requests/s, the server's log)."""
    server = Server("berth", berth, workdir, extra_env=env)
    with stopping({"berth": server}):
        server.start(root=root)
        rate, _ = wrk(server.port, path, seconds, 50, SCHEMA2 + "," + OCI_MANIFEST)
        server.check_alive()
        server.stop()
    with open(os.path.join(server.workdir, "server.log"), errors="replace") as f:
        return rate, f.read()


def berth_ab(berth, workdir, root, variants, rounds, seconds, path, log, title):
    """Manifest GET rates of Berth under two variants of its environment, alternating; returns {variant: [rates]}."""
    rates = {name: [] for name in variants}
    logs = {name: [] for name in variants}
    for index in range(rounds):
        order = list(variants) if index % 2 == 0 else list(reversed(variants))
        for name in order:
            rate, server_log = _get_rate(berth, workdir, root, variants[name], seconds, path)
            rates[name].append(rate)
            logs[name].append(server_log)
            log(f"  {title} round {index + 1} {name}: {rate:,.0f} req/s")
    return rates, logs


def run(berth, workdir, mode, log):
    """The whole phase; returns {"medians": {berth: {...}, registry: {...}}, "raw": ...} for the report."""
    profile = PROFILES[mode]
    folder = os.path.join(workdir, "maintenance")
    os.makedirs(folder)
    source = os.path.join(folder, "store")
    started = time.perf_counter()
    counts = storegen.generate(source, profile["repos"])
    log(f"maintenance: store of {counts['repositories']:,} repositories, {counts['blobs']:,} blobs "
        f"({counts['untagged']:,} untagged manifests, {counts['orphans']:,} orphans) written in {time.perf_counter() - started:.1f}s")

    medians, gc_raw, difference, collected = offline_gc(berth, folder, source, profile["gc_rounds"], log)
    shutil.rmtree(source)

    path = GET_PATH.format(index=profile["repos"] // 2)
    quiet = {"REGISTRY_LOG_LEVEL": "info"}  # the collections' log lines are counted; the same level for both variants
    online = {**quiet, "REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED": "true", "REGISTRY_STORAGE_MAINTENANCE_GC_INTERVAL": profile["gc_interval"],
              "REGISTRY_STORAGE_MAINTENANCE_GC_GRACE": "0s"}
    gc_rates, gc_logs = berth_ab(berth, workdir, collected, {"gc_off": quiet, "gc_on": online}, profile["get_rounds"],
                                 profile["seconds"], path, log, "manifest GET, online GC")
    cycles = [server_log.count("garbage collection: cycle") for server_log in gc_logs["gc_on"]]
    log(f"  online collections during the GET runs: {cycles}")

    metrics_on = {"REGISTRY_HTTP_DEBUG_ADDR": f"127.0.0.1:{free_port()}", "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED": "true"}
    metrics_rates, _ = berth_ab(berth, workdir, collected, {"metrics_off": {}, "metrics_on": metrics_on}, profile["get_rounds"],
                                profile["seconds"], path, log, "manifest GET, metrics")

    berth_figures = medians["berth"]
    for name, rates in list(gc_rates.items()) + list(metrics_rates.items()):
        berth_figures[f"get_{name}_rps"] = statistics.median(rates)
    return {"profile": profile, "store": counts, "medians": medians, "difference": difference, "gc_cycles": cycles,
            "raw": {"offline": gc_raw, "gc_get": gc_rates, "metrics_get": metrics_rates}}
