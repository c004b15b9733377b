"""Starts, watches and stops the two registries: Berth and Debian's docker-registry, configured alike."""
import contextlib
import os
import random
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# The registry:2 image's /etc/docker/registry/config.yml, which is also Berth's default configuration;
# both servers then get the same REGISTRY_* overrides, so they run with equivalent settings.
REGISTRY_CONFIG = """version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
"""

READY_TIMEOUT = 60


_given_ports = set()


def free_port():
    """A free loopback port from 10000-19999, below the kernel's ephemeral range (32768 and up): a port from that
    range can be taken by the local end of any outgoing connection before the server binds it, as the test suite once
    saw. Checked free, never handed out twice; the server binds it a moment later."""
    for _ in range(1000):
        port = random.randrange(10000, 20000)
        if port in _given_ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        return port
    raise RuntimeError("no free port in 10000-19999")


def register_pid(workdir, pid):
    """run.sh's trap stops whatever pid is listed in workdir/pids if the driver itself dies."""
    with open(os.path.join(workdir, "pids"), "a") as pids:
        pids.write(f"{pid}\n")


def is_ready(port, tls=False):
    """/v2/ answers: 200, or with authentication configured any HTTP answer (401 until a client logs in)."""
    scheme = "https" if tls else "http"
    context = ssl._create_unverified_context() if tls else None
    try:
        with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/v2/", timeout=2, context=context) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        return tls and error.code == 401
    except OSError:
        return False


def read_status_kib(pid, field):
    """VmRSS / VmHWM of a process, in KiB, from /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


class Server:
    """One registry process on a fresh root directory and a free loopback port."""

    def __init__(self, name, berth, workdir, extra_env=None, tls=False, storage_env=None):
        self.name = name
        self.berth = berth
        self.extra_env = extra_env or {}
        # REGISTRY_STORAGE* variables that replace the filesystem root (the object-store phase); None: filesystem.
        self.storage_env = storage_env
        self.tls = tls
        self.workdir = tempfile.mkdtemp(prefix=f"{name}-", dir=workdir)
        self.process = None
        self.port = None

    def _command_and_env(self, root, port):
        # The machine may carry AWS_* variables (AWS_CA_BUNDLE): the S3 SDKs of both servers would pick them up.
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env.update(REGISTRY_HTTP_ADDR=f"127.0.0.1:{port}",
                   REGISTRY_STORAGE_DELETE_ENABLED="true",
                   REGISTRY_LOG_ACCESSLOG_DISABLED="true",
                   REGISTRY_LOG_LEVEL="warn")
        # REGISTRY_STORAGE=s3 replaces the config file's storage section in both servers; a filesystem root set
        # beside it would add a second driver, which both refuse.
        env.update(self.storage_env if self.storage_env is not None
                   else {"REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY": root})
        env.update(self.extra_env)
        if self.name == "berth":
            return ([self.berth, "serve"] if not self.berth.endswith(".dll") else ["dotnet", self.berth, "serve"]), env
        config = os.path.join(self.workdir, "config.yml")
        with open(config, "w") as f:
            f.write(REGISTRY_CONFIG)
        return ["docker-registry", "serve", config], env

    def start(self, root=None):
        """Spawns the server and waits for /v2/ to answer 200; returns seconds from spawn to that answer."""
        self.port = free_port()
        root = root or os.path.join(self.workdir, "root")
        os.makedirs(root, exist_ok=True)
        command, env = self._command_and_env(root, self.port)
        log = open(os.path.join(self.workdir, "server.log"), "ab")
        started = time.perf_counter()
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        register_pid(os.path.dirname(self.workdir), self.process.pid)
        deadline = started + READY_TIMEOUT
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log_tail()}")
            if is_ready(self.port, self.tls):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not answer /v2/ within {READY_TIMEOUT}s; {self.log_tail()}")

    def log_tail(self):
        path = os.path.join(self.workdir, "server.log")
        with open(path, "rb") as f:
            return path + ":\n" + f.read()[-2000:].decode(errors="replace")

    def check_alive(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}; {self.log_tail()}")

    def rss_mib(self):
        self.check_alive()
        return read_status_kib(self.process.pid, "VmRSS") / 1024

    def peak_mib(self):
        self.check_alive()
        return read_status_kib(self.process.pid, "VmHWM") / 1024

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextlib.contextmanager
def stopping(servers):
    """Stops every server of the dict (as filled by then) on the way out; on a failure first prints the end of their
    logs, since the run's folder is deleted on exit."""
    try:
        yield
    except BaseException:
        for server in servers.values():
            if server.process is not None:
                print(f"--- {server.name} (exit code {server.process.poll()}) {server.log_tail()}", file=sys.stderr)
        raise
    finally:
        for server in servers.values():
            server.stop()


def measure_start_seconds(name, berth, workdir, times):
    """Spawn-to-first-200 of a server on an empty root, `times` cold starts (the OS cache stays warm)."""
    samples = []
    for _ in range(times):
        server = Server(name, berth, workdir)
        try:
            samples.append(server.start())
        finally:
            server.stop()
    return samples
