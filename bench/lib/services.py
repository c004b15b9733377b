"""The services the object-store phase runs on: one Ceph RADOS Gateway (the repository's scripts/ceph-rgw.sh: one
ceph-mon, one in-memory OSD, radosgw) and one redis-server, both on free loopback ports, both stopped by stop()."""
import os
import socket
import subprocess
import time

from servers import free_port, register_pid

READY_TIMEOUT = 30


class Rgw:
    """An S3 server for the run; each registry gets buckets of its own on it."""

    def __init__(self, script, folder, memstore_bytes):
        self.script, self.folder, self.memstore_bytes = script, folder, memstore_bytes
        self.settings = None

    def _script(self, *args, **extra_env):
        # The script clears the AWS_* variables itself; its daemons fork away from it and live in folder/run.
        process = subprocess.Popen(["bash", self.script, *args], env=dict(os.environ, **extra_env),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        # A TERM from run.sh's trap during a start also reaches the script (its own session misses the Ctrl-C).
        register_pid(os.path.dirname(self.folder), process.pid)
        output, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"ceph-rgw.sh {' '.join(args)} failed:\n{output.decode(errors='replace')[-3000:]}")

    def start(self):
        """Starts mon, OSD and gateway (~15-20 s) and reads the endpoint and keys the script wrote to folder/env."""
        if not os.path.isfile(self.script):
            raise RuntimeError(f"{self.script} is missing (it comes with Berth's S3 driver)")
        self._script("start", self.folder, MEMSTORE_BYTES=str(self.memstore_bytes))
        with open(os.path.join(self.folder, "env")) as f:
            self.settings = dict(line.strip().split("=", 1) for line in f if "=" in line)

    def bucket(self, name):
        self._script("bucket", self.folder, name)

    def purge(self, name):
        """Removes a bucket with its objects at once, then runs RGW's garbage collection over everything deleted so
        far (upload parts the registries deleted wait 30 s otherwise): memstore frees the OSD's memory only then."""
        admin = ["radosgw-admin", "-c", os.path.join(self.folder, "ceph.conf")]
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(admin + ["bucket", "rm", f"--bucket={name}", "--purge-objects", "--bypass-gc"], **quiet)
        subprocess.run(admin + ["gc", "process", "--include-all"], **quiet)

    def remove(self, bucket, keys):
        """Deletes some objects of a bucket and frees their memory at once (as purge does for a whole bucket)."""
        admin = ["radosgw-admin", "-c", os.path.join(self.folder, "ceph.conf")]
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        for key in keys:
            subprocess.run(admin + ["object", "rm", f"--bucket={bucket}", f"--object={key}", "--bypass-gc"], **quiet)
        subprocess.run(admin + ["gc", "process", "--include-all"], **quiet)

    def storage_env(self, bucket):
        """registry:2's S3 settings, which both registries read, for one bucket (path-style, plain http)."""
        return {"REGISTRY_STORAGE": "s3",
                "REGISTRY_STORAGE_S3_REGIONENDPOINT": self.settings["endpoint"],
                "REGISTRY_STORAGE_S3_BUCKET": bucket,
                "REGISTRY_STORAGE_S3_REGION": "us-east-1",
                "REGISTRY_STORAGE_S3_ACCESSKEY": self.settings["access_key"],
                "REGISTRY_STORAGE_S3_SECRETKEY": self.settings["secret_key"],
                "REGISTRY_STORAGE_S3_FORCEPATHSTYLE": "true",
                "REGISTRY_STORAGE_S3_SECURE": "false"}

    def stop(self):
        if os.path.isdir(self.folder):
            self._script("stop", self.folder)


class Redis:
    """One redis-server without persistence; each registry uses a database number of its own."""

    def __init__(self, folder):
        self.folder, self.process, self.port = folder, None, None

    def start(self):
        os.makedirs(self.folder, exist_ok=True)
        self.port = free_port()
        with open(os.path.join(self.folder, "redis.log"), "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
                 "--dir", self.folder], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        register_pid(os.path.dirname(self.folder), self.process.pid)
        deadline = time.monotonic() + READY_TIMEOUT
        while not self._pong():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {self.folder}/redis.log")
            time.sleep(0.05)

    def _pong(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    @property
    def addr(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
