"""The secured registry of the lab's Parts 2 and 3 on both servers: TLS from a certificate and key, and htpasswd
(bcrypt) authentication, set by the same REGISTRY_* variables. Measures authenticated manifest GET, where every
request carries Basic credentials: registry:2 runs bcrypt for each; Berth must not."""
import base64
import os
import statistics
import subprocess

import datagen
from client import OCI_MANIFEST
from servers import Server
from workloads import wrk

USER, PASSWORD = "bench", "bench-password"
REPO = "bench/secured"


def _credentials(berth, folder):
    """A self-signed certificate for 127.0.0.1 and an htpasswd file made by `berth htpasswd -Bbn`, as the lab does."""
    key, cert = os.path.join(folder, "domain.key"), os.path.join(folder, "domain.crt")
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", key, "-x509", "-days", "2",
                    "-out", cert, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    berth_command = [berth] if not berth.endswith(".dll") else ["dotnet", berth]
    htpasswd = subprocess.run(berth_command + ["htpasswd", "-Bbn", USER, PASSWORD], check=True, capture_output=True).stdout
    htpasswd_path = os.path.join(folder, "htpasswd")
    with open(htpasswd_path, "wb") as f:
        f.write(htpasswd)
    certs = os.path.join(folder, "certs.d")
    os.makedirs(certs)
    with open(cert, "rb") as source, open(os.path.join(certs, "ca.crt"), "wb") as target:
        target.write(source.read())
    env = {"REGISTRY_HTTP_TLS_CERTIFICATE": cert, "REGISTRY_HTTP_TLS_KEY": key, "REGISTRY_AUTH": "htpasswd",
           "REGISTRY_AUTH_HTPASSWD_REALM": "Registry Realm", "REGISTRY_AUTH_HTPASSWD_PATH": htpasswd_path}
    return env, certs


def secured_manifest_rates(berth, workdir, names, seconds, rounds):
    """Median requests/s of authenticated manifest GETs over TLS per server, alternating servers round by round."""
    folder = os.path.join(workdir, "secured")
    os.makedirs(folder)
    env, certs = _credentials(berth, folder)
    layout = datagen.oci_layout(os.path.join(folder, "oci"), 1, 1)
    servers = {name: Server(name, berth, workdir, extra_env=env, tls=True) for name in names}
    rates = {name: [] for name in names}
    header = "Authorization: Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    try:
        for server in servers.values():
            server.start()
            subprocess.run(["skopeo", "copy", "--dest-cert-dir", certs, "--dest-creds", f"{USER}:{PASSWORD}",
                            f"oci:{layout['path']}:latest", f"docker://127.0.0.1:{server.port}/{REPO}:latest"],
                           check=True, stdout=subprocess.DEVNULL)
        for index in range(rounds):
            order = names if index % 2 == 0 else list(reversed(names))
            for name in order:
                servers[name].check_alive()
                rate, _ = wrk(servers[name].port, f"/v2/{REPO}/manifests/latest", seconds, 50, OCI_MANIFEST,
                              scheme="https", headers=[header])
                rates[name].append(rate)
                print(f"  round {index + 1} secured manifest GET {name}: {rate:.1f} req/s", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    return {name: {"secured_manifest_rps": statistics.median(values)} for name, values in rates.items()}
