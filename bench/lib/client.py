"""A small Docker Registry HTTP API V2 client on http.client, enough to load and time a registry.

Bodies are streamed from files with sendfile and responses are read into a reused buffer, so the client
costs as little CPU as possible: on 2 shared cores every cycle the client spends is one the server lacks.
"""
import hashlib
import http.client
import json
import os
import time
import urllib.parse

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
READ_BUFFER = 1 << 20


class RegistryError(Exception):
    pass


def sha256_file(path):
    return "sha256:" + sha256_state(path).hexdigest()


def sha256_state(path):
    """The running SHA-256 of a file's bytes, to extend with more bytes (hashlib's copy()) without reading it again."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(READ_BUFFER):
            digest.update(chunk)
    return digest


def sha256_bytes(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Client:
    """One keep-alive connection to a registry at 127.0.0.1:port; not thread-safe, use one per thread."""

    def __init__(self, port, timeout=300):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self):
        self.conn.close()

    def request(self, method, url, body=None, headers=None, expect=(200,)):
        """Sends one request and returns (response, body bytes); raises unless the status is expected."""
        self.conn.request(method, url, body=body, headers=headers or {})
        response = self.conn.getresponse()
        data = response.read()
        if response.status not in expect:
            raise RegistryError(f"{method} {url} -> {response.status} {data[:300]!r}")
        return response, data

    @staticmethod
    def _path(location):
        """Locations may be absolute (registry:2) or relative; keep path and query only."""
        parts = urllib.parse.urlsplit(location)
        return parts.path + ("?" + parts.query if parts.query else "")

    @staticmethod
    def _with_digest(location, digest):
        return location + ("&" if "?" in location else "?") + "digest=" + urllib.parse.quote(digest)

    def start_upload(self, repo, mount=None, source=None):
        """POST an upload; with mount/source a cross-repository mount. Returns (status, location path)."""
        query = f"?mount={mount}&from={source}" if mount else ""
        response, _ = self.request("POST", f"/v2/{repo}/blobs/uploads/{query}", expect=(201, 202))
        return response.status, self._path(response.getheader("Location"))

    def _send_file(self, method, url, f, offset, count, headers, tail=b""):
        """Sends a request whose body is count bytes of file f from offset, with sendfile (no copy), then `tail`."""
        self.conn.putrequest(method, url, skip_accept_encoding=True)
        length = count + len(tail)
        for name, value in {"Content-Length": str(length), "Content-Type": "application/octet-stream", **headers}.items():
            self.conn.putheader(name, value)
        self.conn.endheaders()
        sent = 0
        while sent < count:
            sent += self.conn.sock.sendfile(f, offset + sent, count - sent)
        self.conn.sock.sendall(tail)
        response = self.conn.getresponse()
        data = response.read()
        return response, data

    def upload_monolithic(self, repo, path, digest, tail=b""):
        """POST then one PUT ?digest= carrying the whole file, then `tail` (the spec's monolithic upload)."""
        _, location = self.start_upload(repo)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            response, data = self._send_file("PUT", self._with_digest(location, digest), f, 0, size, {}, tail)
        if response.status != 201:
            raise RegistryError(f"PUT blob -> {response.status} {data[:300]!r}")

    def upload_chunked(self, repo, path, digest, chunk, tail=b""):
        """POST, PATCH chunk after chunk with Content-Range (the last one ending with `tail`), then PUT ?digest= with
        no body."""
        _, location = self.start_upload(repo)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            for offset in range(0, size, chunk):
                count = min(chunk, size - offset)
                last_tail = tail if offset + count == size else b""
                headers = {"Content-Range": f"{offset}-{offset + count + len(last_tail) - 1}"}
                response, data = self._send_file("PATCH", location, f, offset, count, headers, last_tail)
                if response.status != 202:
                    raise RegistryError(f"PATCH -> {response.status} {data[:300]!r}")
                location = self._path(response.getheader("Location"))
        self.request("PUT", self._with_digest(location, digest), body=b"", expect=(201,))

    def upload_bytes(self, repo, data, digest=None):
        digest = digest or sha256_bytes(data)
        _, location = self.start_upload(repo)
        headers = {"Content-Type": "application/octet-stream"}
        self.request("PUT", self._with_digest(location, digest), body=data, headers=headers, expect=(201,))
        return digest

    def mount(self, repo, digest, source):
        status, _ = self.start_upload(repo, mount=digest, source=source)
        if status != 201:
            raise RegistryError(f"mount of {digest} from {source} into {repo} was refused ({status})")

    def put_manifest(self, repo, reference, manifest_bytes, media_type=OCI_MANIFEST):
        self.request("PUT", f"/v2/{repo}/manifests/{reference}", body=manifest_bytes,
                     headers={"Content-Type": media_type}, expect=(201,))

    def download(self, repo, digest, buffer):
        """GETs a blob into a reused buffer, discarding it; returns the byte count.

        On an object store both registries answer 307 with a presigned URL of the store (registry:2's default,
        and Berth's); the client follows it as docker does, so the time is the pull as a user sees it."""
        self.conn.request("GET", f"/v2/{repo}/blobs/{digest}")
        response = self.conn.getresponse()
        if response.status == 307:
            response.read()
            return _download_url(response.getheader("Location"), buffer)
        return _read_blob(response, buffer)

    def delete(self, url):
        self.request("DELETE", url, expect=(202,))

    def get_ms(self, url):
        """GET url and return how long the full answer took, in ms."""
        start = time.perf_counter()
        self.request("GET", url)
        return (time.perf_counter() - start) * 1000


def _read_blob(response, buffer):
    """Reads a 200 answer into the reused buffer; returns the byte count."""
    if response.status != 200:
        raise RegistryError(f"GET blob -> {response.status} {response.read()[:300]!r}")
    view, total = memoryview(buffer), 0
    while count := response.readinto(view):
        total += count
    return total


def _download_url(url, buffer):
    """GETs an absolute http URL (the store's presigned one) on a connection of its own, as a client would."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http":
        raise RegistryError(f"redirect to {url[:100]}: only plain http is expected on loopback")
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=300)
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
        return _read_blob(conn.getresponse(), buffer)
    finally:
        conn.close()


def manifest(config_digest, config_size, layers):
    """An OCI image manifest (bytes) for a config and [(digest, size)] layers."""
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": OCI_LAYER, "digest": d, "size": s} for d, s in layers],
    }
    return json.dumps(document, separators=(",", ":")).encode()


def config_blob(label):
    """A small, distinct image config."""
    document = {"architecture": "amd64", "os": "linux", "config": {"Labels": {"bench": label}},
                "rootfs": {"type": "layers", "diff_ids": []}}
    return json.dumps(document, separators=(",", ":")).encode()
