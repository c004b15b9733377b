"""Test data, generated once per run and loaded into both servers alike: random (incompressible) blobs,
an OCI layout for skopeo, and a small image every repository of the catalog test shares."""
import gzip
import hashlib
import json
import os
import tarfile

from client import OCI_MANIFEST, config_blob, manifest, sha256_file

MIB = 1 << 20


def random_file(path, mib):
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(os.urandom(MIB))


def big_files(directory, count, mib):
    """`count` random files of `mib` MiB; returns [(path, digest)]."""
    files = []
    for i in range(count):
        path = os.path.join(directory, f"blob-{i}")
        random_file(path, mib)
        files.append((path, sha256_file(path)))
    return files


class _Random:
    """A file-like source of random bytes for tarfile."""

    def read(self, size):
        return os.urandom(size)


class _Hashing:
    """Passes writes on while hashing them: the layer's diff_id is the digest of the uncompressed tar."""

    def __init__(self, target):
        self.target, self.digest = target, hashlib.sha256()

    def write(self, data):
        self.digest.update(data)
        return self.target.write(data)


def _blob_path(layout, digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])


def _layer(layout, index, mib):
    """A gzip (level 0, so incompressible and cheap) tar holding one random file; returns (digest, size, diff_id).

    Gzip rather than plain tar because skopeo compresses plain layers on push, which would measure gzip."""
    temporary = os.path.join(layout, f"layer-{index}.tmp")
    with open(temporary, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=0, mtime=0) as zipped:
        hashing = _Hashing(zipped)
        with tarfile.open(fileobj=hashing, mode="w|", format=tarfile.GNU_FORMAT) as tar:
            info = tarfile.TarInfo(f"data-{index}.bin")
            info.size = mib * MIB
            tar.addfile(info, _Random())
    digest = sha256_file(temporary)
    os.replace(temporary, _blob_path(layout, digest))
    return digest, os.path.getsize(_blob_path(layout, digest)), "sha256:" + hashing.digest.hexdigest()


def _write_blob(layout, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(_blob_path(layout, digest), "wb") as f:
        f.write(data)
    return digest


def oci_layout(layout, layers, layer_mib):
    """An OCI image layout with `layers` random layers, tagged latest; returns what the skopeo test needs."""
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    made = [_layer(layout, i, layer_mib) for i in range(layers)]
    config = json.loads(config_blob("skopeo"))
    config["rootfs"]["diff_ids"] = [diff_id for _, _, diff_id in made]
    config_bytes = json.dumps(config).encode()
    config_digest = _write_blob(layout, config_bytes)
    document = json.loads(manifest(config_digest, len(config_bytes), []))
    document["layers"] = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": s}
                          for d, s, _ in made]
    manifest_digest = _write_blob(layout, json.dumps(document).encode())
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": OCI_MANIFEST, "digest": manifest_digest,
        "size": os.path.getsize(_blob_path(layout, manifest_digest)),
        "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    return {"path": layout, "manifest": manifest_digest, "blobs": [config_digest] + [d for d, _, _ in made]}

