#!/usr/bin/env python3
"""A/B of two Berth builds on uploads only: 4 parallel 256 MiB uploads, monolithic and in 16 MiB chunks.

The full benchmark compares Berth with docker-registry; this compares Berth with itself, to tell whether a change
to the upload path helps. The two builds alternate round by round on the same machine and data, and the medians
are printed. Build each variant as bench/run.sh does, for example:

  git worktree add /tmp/before HEAD~1
  dotnet publish /tmp/before/src/Berth -c Release -r linux-x64 -p:PublishAot=true -o /tmp/ab/before
  dotnet publish src/Berth -c Release -r linux-x64 -p:PublishAot=true -o /tmp/ab/after
  python3 bench/ab_uploads.py /tmp/ab/before/berth /tmp/ab/after/berth

With --s3 both builds store on one Ceph RADOS Gateway with Redis (a fresh bucket per round and build, removed after
it), configured as the object-store phase of bench/run.sh configures Berth; --mib sets the blob size.
"""
import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from objectstore import server_env  # noqa: E402
from servers import Server  # noqa: E402
from services import Redis, Rgw  # noqa: E402
from workloads import parallel, with_client  # noqa: E402

FILES, CHUNK = 4, 16 << 20
FILE_MIB = 256


def make_files(workdir):
    files = []
    for i in range(FILES):
        path = os.path.join(workdir, f"big-{i}")
        digest = hashlib.sha256()
        with open(path, "wb") as f:
            for _ in range(FILE_MIB):
                block = os.urandom(1 << 20)
                digest.update(block)
                f.write(block)
        files.append((path, "sha256:" + digest.hexdigest()))
    return files


def one_round(binary, workdir, files, label, services):
    storage_env, bucket = None, None
    if services is not None:
        rgw, redis = services
        bucket = f"ab-{label}"
        rgw.bucket(bucket)
        storage_env = server_env("berth", rgw, redis, bucket)
    server = Server("berth", binary, workdir, storage_env=storage_env)
    server.start()
    try:
        rates = {}
        for kind, upload in (("monolithic", lambda c, i: c.upload_monolithic(f"ab/m-{label}", *files[i])),
                             ("chunked", lambda c, i: c.upload_chunked(f"ab/c-{label}", *files[i], CHUNK))):
            seconds, _, errors = parallel(FILES, lambda i, upload=upload: with_client(server.port, lambda c: upload(c, i)))
            if errors:
                raise RuntimeError(f"{kind}: {errors[0]}")
            rates[kind] = FILES * FILE_MIB / seconds
        return rates
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
        if bucket is not None:
            services[0].purge(bucket)


def main():
    global FILE_MIB
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="the first berth executable (e.g. before the change)")
    parser.add_argument("b", help="the second berth executable (e.g. after the change)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--s3", action="store_true", help="store on Ceph RGW with Redis instead of the filesystem")
    parser.add_argument("--mib", type=int, default=256, help="size of each of the 4 blobs")
    args = parser.parse_args()
    FILE_MIB = args.mib
    workdir = tempfile.mkdtemp(prefix="berth-ab-", dir="/var/tmp")
    services = None
    try:
        if args.s3:
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "ceph-rgw.sh")
            # memstore holds a round's blobs (upload parts and the copy made on commit) at ~1.7x.
            services = (Rgw(script, os.path.join(workdir, "rgw"), max(2 << 30, FILES * FILE_MIB * 4 << 20)),
                        Redis(os.path.join(workdir, "redis")))
            for service in services:
                service.start()
        files = make_files(workdir)
        results = {"a": [], "b": []}
        for round_number in range(args.rounds):
            order = ("a", "b") if round_number % 2 == 0 else ("b", "a")
            for variant in order:
                rates = one_round(getattr(args, variant), workdir, files, f"{round_number}{variant}", services)
                results[variant].append(rates)
                print(f"round {round_number + 1} {variant}: " + ", ".join(f"{k} {v:.0f} MiB/s" for k, v in rates.items()), flush=True)
        for variant in ("a", "b"):
            medians = {k: statistics.median(r[k] for r in results[variant]) for k in ("monolithic", "chunked")}
            print(f"median {variant} ({getattr(args, variant)}): " + ", ".join(f"{k} {v:.0f} MiB/s" for k, v in medians.items()))
    finally:
        for service in services or ():
            service.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
