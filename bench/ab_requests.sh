#!/bin/bash
# A/B of two Berth builds on the request rates: manifest GET by digest (wrk) and blob HEAD (hey), with the bench's
# settings (the image's default config, access log off, log level warn), three rounds alternating the two.
# The full benchmark compares Berth with docker-registry; this compares Berth with itself, to tell whether a change
# slowed the request path. Build each variant as bench/run.sh does, for example:
#   git worktree add /tmp/before HEAD~1
#   dotnet publish /tmp/before/src/Berth -c Release -r linux-x64 -p:PublishAot=true -o /tmp/ab/before
#   dotnet publish src/Berth -c Release -r linux-x64 -p:PublishAot=true -o /tmp/ab/after
#   bench/ab_requests.sh /tmp/ab/before/berth /tmp/ab/after/berth
set -euo pipefail
before=$1 after=$2
work=$(mktemp -d /tmp/berth-ab.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { # bin port
  local bin=$1 port=$2
  local root=$work/root-$port
  rm -rf $root; mkdir -p $root
  REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=$root REGISTRY_HTTP_ADDR=127.0.0.1:$port REGISTRY_LOG_ACCESSLOG_DISABLED=true \
    REGISTRY_LOG_LEVEL=warn REGISTRY_STORAGE_DELETE_ENABLED=true $bin serve > $work/log-$port 2>&1 &
  local pid=$!
  for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$port/v2/ && break; sleep 0.1; done
  printf 'layer-bytes' > $work/l; printf '{}' > $work/c
  local L C
  L=sha256:$(sha256sum $work/l | cut -d' ' -f1)
  C=sha256:$(sha256sum $work/c | cut -d' ' -f1)
  curl -s -o /dev/null -X POST --data-binary @$work/l "http://127.0.0.1:$port/v2/ab/img/blobs/uploads/?digest=$L"
  curl -s -o /dev/null -X POST --data-binary @$work/c "http://127.0.0.1:$port/v2/ab/img/blobs/uploads/?digest=$C"
  local M="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$C\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$L\",\"size\":11}]}"
  local D=$(curl -s -D - -o /dev/null -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" --data "$M" http://127.0.0.1:$port/v2/ab/img/manifests/v1 | grep -i docker-content-digest | tr -d '\r' | cut -d' ' -f2)
  local rps=$(wrk -t2 -c50 -d10s -H "Accept: application/vnd.oci.image.manifest.v1+json" http://127.0.0.1:$port/v2/ab/img/manifests/$D | grep Requests/sec | awk '{print $2}')
  local head=$(hey -c 50 -z 10s -m HEAD http://127.0.0.1:$port/v2/ab/img/blobs/$L | grep Requests/sec | awk '{print $2}')
  kill $pid; wait $pid 2>/dev/null || true
  echo "$3 digest_rps=$rps head_rps=$head"
}
for round in 1 2 3; do
  run "$before" 15401 "round$round before"
  run "$after" 15402 "round$round after"
done
