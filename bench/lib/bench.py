"""Side by side: Berth and docker-registry, same data, alternating run by run; writes the report.

Usage: bench.py --mode quick|full --berth PATH --workdir DIR --results DIR --command "..."
"""
import argparse
import json
import os
import signal
import statistics
import sys
import time

import datagen
import maintenance
import maintenance_report
import mirror
import objectstore
import report
import workloads
from secured import secured_manifest_rates
from servers import Server, measure_start_seconds, stopping

PROFILES = {
    # quick: a smoke run of every code path in ~2-3 minutes; its figures are not the real ones.
    "quick": dict(rounds=1, seconds=3, big_mib=64, layer_mib=16, repos=1000, tags=1000, starts=3, samples=5),
    "full": dict(rounds=3, seconds=15, big_mib=256, layer_mib=256, repos=10000, tags=10000, starts=5, samples=21),
}
NAMES = ("berth", "registry")
REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARALLEL_STREAMS = 4
CHUNK = 16 << 20


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def prepare(server, shared, profile):
    data, seconds = workloads.prepare(server, shared, profile["repos"], profile["tags"])
    log(f"  {server.name}: {profile['repos']} repositories and {profile['tags']} tags loaded in {seconds:.1f}s")
    return data, seconds


def run_round(round_index, servers, data, layout, profile):
    """Every workload once per server; who goes first alternates from round to round."""
    run_id = f"r{round_index}"
    workload_list = [
        ("request rates", lambda s: workloads.request_rates(s, data[s.name], profile["seconds"])),
        ("uploads/downloads", lambda s: workloads.transfers(s, data[s.name], run_id, CHUNK)),
        ("skopeo push/pull", lambda s: workloads.skopeo(s, layout, run_id)),
        ("100 pushes", lambda s: workloads.concurrent_pushes(s, run_id)),
        ("listings", lambda s: workloads.listings(s, profile["repos"], profile["samples"])),
    ]
    return workloads.alternate(round_index, servers, workload_list, log)


def filesystem_phase(args, profile, big, layout):
    """Both servers on fresh root directories: every workload, rounds alternating; returns (medians, raw)."""
    # Cold starts alternate too; their processes are gone before the measured servers start.
    starts = {name: [] for name in NAMES}
    for _ in range(profile["starts"]):
        for name in NAMES:
            starts[name] += measure_start_seconds(name, args.berth, args.workdir, 1)
    log("start to first 200: " + ", ".join(f"{n} {statistics.median(s) * 1000:.0f} ms" for n, s in starts.items()))

    servers = {name: Server(name, args.berth, args.workdir) for name in NAMES}
    memory = {name: {} for name in NAMES}
    with stopping(servers):
        for server in servers.values():
            server.start()
        time.sleep(2)
        for name, server in servers.items():
            memory[name]["rss_idle_start"] = server.rss_mib()
        shared = {"small_repo": "bench/small", "big_files": big, "big_mib": profile["big_mib"]}
        data, load_seconds = {}, {}
        for name, server in servers.items():
            data[name], load_seconds[name] = prepare(server, shared, profile)
        time.sleep(3)
        for name, server in servers.items():
            memory[name]["rss_idle_loaded"] = server.rss_mib()

        rounds = []
        for index in range(profile["rounds"]):
            rounds.append(run_round(index, servers, data, layout, profile))

        time.sleep(3)
        for name, server in servers.items():
            memory[name]["rss_idle_end"] = server.rss_mib()
            memory[name]["rss_peak"] = server.peak_mib()

    log("secured: TLS + htpasswd on both servers, authenticated manifest GET")
    secured = secured_manifest_rates(args.berth, args.workdir, NAMES, profile["seconds"], max(profile["rounds"], 2))

    medians = {name: {metric: statistics.median(r[name][metric] for r in rounds) for metric in rounds[0][name]}
               for name in NAMES}
    for name in NAMES:
        medians[name].update(memory[name])
        medians[name].update(secured[name])
        medians[name]["start_ms"] = statistics.median(starts[name]) * 1000
        medians[name]["load_s"] = load_seconds[name]
    return medians, {"rounds": rounds, "memory": memory, "starts": starts}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=PROFILES, default="quick")
    parser.add_argument("--berth", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--command", default="bench/run.sh")
    parser.add_argument("--rgw-script", default=os.path.join(REPO_DIR, "scripts", "ceph-rgw.sh"))
    # For working on one phase; a report from fewer phases simply has fewer rows.
    parser.add_argument("--phases", default="filesystem,objectstore,maintenance,mirror")
    args = parser.parse_args()
    # SIGTERM (from run.sh's trap) unwinds like an exception, so the finally blocks stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    profile = PROFILES[args.mode]
    phases = args.phases.split(",")
    load_at_start = os.getloadavg()[0]

    log(f"mode {args.mode}: {profile}")
    status = 0
    if "maintenance" in phases:
        try:
            result = maintenance.run(args.berth, args.workdir, args.mode, log)
            print()
            print(maintenance_report.write(args.results, args.mode, result, args.command, load_at_start))
        except Exception as error:
            log(f"maintenance phase failed: {type(error).__name__}: {error}")
            status = 1
    # Only a full run replaces the committed figures (latest*); a smoke run writes quick*.
    base = "latest" if args.mode == "full" else "quick"
    os.makedirs(args.results, exist_ok=True)
    if "mirror" in phases:
        log("mirror: both registries in proxy mode in front of one upstream docker-registry")
        mirrored = mirror.run(args.berth, args.workdir, args.mode, log)
        with open(os.path.join(args.results, base + "-mirror.md"), "w") as f:
            f.write(mirror.markdown(mirrored))
        print(mirror.markdown(mirrored))
    # The main report (latest.* or quick.*) is written only by the phases it shows: a run of the maintenance or mirror
    # phase alone leaves it as it is.
    if "filesystem" not in phases and "objectstore" not in phases:
        return status

    data_dir = os.path.join(args.workdir, "data")
    os.makedirs(data_dir)
    big = datagen.big_files(data_dir, PARALLEL_STREAMS, profile["big_mib"])
    layout = datagen.oci_layout(os.path.join(data_dir, "oci"), 4, profile["layer_mib"])
    log(f"data: {PARALLEL_STREAMS} x {profile['big_mib']} MiB blobs, image of 4 x {profile['layer_mib']} MiB layers")

    medians = {name: {} for name in NAMES}
    raw = {"mode": args.mode, "load_at_start": load_at_start, "profile": profile, "medians": medians}
    if "filesystem" in phases:
        filesystem, raw_filesystem = filesystem_phase(args, profile, big, layout)
        raw.update(raw_filesystem)
        for name in NAMES:
            medians[name].update(filesystem[name])
    objectstore_profile = objectstore_failures = None
    try:
        # The same 4 big files as the filesystem phase: 4 x 256 MiB in full mode, as the issue asks.
        result = (objectstore.run(args.berth, args.workdir, args.rgw_script, args.mode, big, profile["big_mib"], log)
                  if "objectstore" in phases else None)
    except Exception as error:
        # The filesystem figures are still worth their report; the run fails at the end.
        log(f"object-store phase failed: {type(error).__name__}: {error}")
        result, status = None, 1
    if result:
        raw["objectstore"] = result
        objectstore_profile, objectstore_failures = result["profile"], result["failures"]
        for name in NAMES:
            medians[name].update(result["medians"][name])
    with open(os.path.join(args.results, base + ".json"), "w") as f:
        json.dump(raw, f, indent=1)
    markdown = report.write(args.results, base, medians, args.mode, profile, args.command, load_at_start,
                            objectstore_profile, objectstore_failures)
    print()
    print(markdown)
    return status


if __name__ == "__main__":
    sys.exit(main())
