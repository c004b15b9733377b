"""Writes a registry:2 store straight onto disk, fast, for the maintenance phase: what garbage collection walks.

The layout is registry:2's (registry/storage/paths.go) under <root>/docker/registry/v2:
  blobs/sha256/<2 hex>/<hex>/data
  repositories/<name>/_layers/sha256/<hex>/link
  repositories/<name>/_manifests/revisions/sha256/<hex>/link
  repositories/<name>/_manifests/tags/<tag>/current/link
  repositories/<name>/_manifests/tags/<tag>/index/sha256/<hex>/link
Every blob is small random content under its real sha256; manifests are Docker schema2 whose descriptors carry the
true sizes. Each repository has images on one of a pool of base-layer stacks (shared across repositories), with a
config and a layer of its own: two tagged images, and one untagged older one (its tag moved on: its tag index entry
stays, as registry:2 leaves it), which `garbage-collect -m` removes with its own blobs. Besides those, orphan blobs
that no manifest names: garbage for any collection.

Usage: storegen.py ROOT REPOSITORIES [SEED]   (prints the counts as JSON)
"""
import hashlib
import json
import os
import random
import sys

SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG = "application/vnd.docker.container.image.v1+json"
LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
BASE_STACKS = 50          # base images (2 layers each) that repositories build on
TAGGED = 2                # tagged images per repository
UNTAGGED = 1              # untagged (older) images per repository
ORPHANS_PER_REPO = 1.0    # blobs nobody references, per repository


class Store:
    """Writes files under one registry:2 root; counts what it wrote."""

    def __init__(self, root):
        self.v2 = os.path.join(root, "docker", "registry", "v2")
        self.blobs = 0
        self.bytes = 0
        self._made = set()

    def _write(self, path, data):
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        with open(path, "wb") as f:
            f.write(data)

    def blob(self, data):
        """Stores content under its digest; returns (digest, size)."""
        hexdigest = hashlib.sha256(data).hexdigest()
        self._write(os.path.join(self.v2, "blobs", "sha256", hexdigest[:2], hexdigest, "data"), data)
        self.blobs += 1
        self.bytes += len(data)
        return "sha256:" + hexdigest, len(data)

    def link(self, repository, relative, digest):
        hexdigest = digest.split(":", 1)[1]
        path = os.path.join(self.v2, "repositories", repository, relative.format(hex=hexdigest), "link")
        self._write(path, digest.encode())


def _manifest(config, layers):
    body = {
        "schemaVersion": 2,
        "mediaType": SCHEMA2,
        "config": {"mediaType": CONFIG, "size": config[1], "digest": config[0]},
        "layers": [{"mediaType": LAYER, "size": size, "digest": digest} for digest, size in layers],
    }
    return json.dumps(body, indent=3).encode()


def _config(rng, label):
    return json.dumps({"architecture": "amd64", "os": "linux", "config": {"Labels": {"bench": label}},
                       "rootfs": {"type": "layers"}, "nonce": rng.randbytes(8).hex()}).encode()


def _image(store, rng, repository, label, base):
    """Config and an own layer (linked under _layers), manifest blob and revision; returns the manifest digest."""
    config = store.blob(_config(rng, label))
    own = store.blob(rng.randbytes(rng.randrange(200, 2000)))
    layers = base + [own]
    manifest = store.blob(_manifest(config, layers))
    for digest, _ in [config] + layers:
        store.link(repository, "_layers/sha256/{hex}", digest)
    store.link(repository, "_manifests/revisions/sha256/{hex}", manifest[0])
    return manifest[0]


def generate(root, repositories, seed=1):
    """Writes the store; returns its counts (blobs, bytes, repositories, manifests, untagged, orphans)."""
    rng = random.Random(seed)
    store = Store(root)
    stacks = [[store.blob(rng.randbytes(rng.randrange(2000, 8000))) for _ in range(2)] for _ in range(BASE_STACKS)]
    manifests = untagged = 0
    for r in range(repositories):
        repository = f"bench/r{r:05}"
        base = stacks[r % BASE_STACKS]
        for u in range(UNTAGGED):
            old = _image(store, rng, repository, f"{repository} old {u}", base)
            # The tag pointed at it once: its history entry stays after the tag moved on.
            store.link(repository, f"_manifests/tags/v{u + 1}/index/sha256/{{hex}}", old)
            untagged += 1
        for t in range(TAGGED):
            digest = _image(store, rng, repository, f"{repository} v{t + 1}", base)
            store.link(repository, f"_manifests/tags/v{t + 1}/current", digest)
            store.link(repository, f"_manifests/tags/v{t + 1}/index/sha256/{{hex}}", digest)
        manifests += TAGGED + UNTAGGED
    orphans = int(repositories * ORPHANS_PER_REPO)
    for _ in range(orphans):
        store.blob(rng.randbytes(rng.randrange(100, 1000)))
    return {"repositories": repositories, "blobs": store.blobs, "bytes": store.bytes, "manifests": manifests,
            "untagged": untagged, "orphans": orphans}


if __name__ == "__main__":
    print(json.dumps(generate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)))
