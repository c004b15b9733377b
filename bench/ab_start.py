"""Berth against Berth: start time and idle memory of two builds, alternating.

Usage: python3 bench/ab_start.py BEFORE AFTER [ROUNDS]
BEFORE and AFTER are berth executables (Native AOT builds, as bench/ab_requests.sh shows how to make them). Each
round starts each build on an empty filesystem root, times spawn to the first answered /v2/, waits 2 s and reads
VmRSS and the thread count from /proc; the medians are printed. Used to find what linking the S3, Azure and Redis
clients costs a single filesystem node (28 -> 39 MiB idle, 64 -> 74 ms to start).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from lib.servers import free_port, read_status_kib


def one_start(binary):
    port, root = free_port(), tempfile.mkdtemp(prefix="ab-start-")
    env = dict(os.environ, REGISTRY_HTTP_ADDR=f"127.0.0.1:{port}", REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=root,
               REGISTRY_LOG_LEVEL="warn", REGISTRY_LOG_ACCESSLOG_DISABLED="true")
    started = time.perf_counter()
    process = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
                break
            except OSError:
                time.sleep(0.005)
        start_ms = (time.perf_counter() - started) * 1000
        time.sleep(2)
        rss_mib = read_status_kib(process.pid, "VmRSS") / 1024
        threads = len(os.listdir(f"/proc/{process.pid}/task"))
        return start_ms, rss_mib, threads
    finally:
        process.terminate()
        process.wait()


def main():
    before, after = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    samples = {before: [], after: []}
    for _ in range(rounds):
        for binary in (before, after):
            samples[binary].append(one_start(binary))
    for binary, values in samples.items():
        start, rss, threads = (statistics.median(v[i] for v in values) for i in range(3))
        print(f"{binary}: start {start:.1f} ms, idle RSS {rss:.1f} MiB, {threads:.0f} threads (median of {rounds})")


if __name__ == "__main__":
    main()
