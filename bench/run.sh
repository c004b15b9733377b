#!/usr/bin/env bash
# Side-by-side benchmark of Berth against Debian's docker-registry (the registry:2 program).
# Usage: bench/run.sh [--quick|--full] [--phases filesystem,objectstore,maintenance,mirror]
#   (quick: a smoke run of ~5 minutes; full: the real figures, ~45 minutes; --phases runs only the phases named)
# Four phases: the filesystem, S3 on a Ceph RADOS Gateway with Redis (lib/objectstore.py), garbage collection
# (lib/maintenance.py) and the pull-through cache (lib/mirror.py). Writes bench/results/latest.{md,svg,json} (full) or
# quick.{md,svg,json} (quick) for the first two, maintenance-latest.{md,json} or maintenance-quick.{md,json} for the
# third, latest-mirror.md or quick-mirror.md for the fourth, and prints the tables.
set -euo pipefail

mode=quick
case "${1:---quick}" in
  --quick) mode=quick ;;
  --full) mode=full ;;
  *) echo "usage: $0 [--quick|--full] [--phases LIST]" >&2; exit 2 ;;
esac
phases=filesystem,objectstore,maintenance,mirror
if [[ ${2:-} == --phases ]]; then
  phases=${3:?"--phases needs a list, e.g. filesystem, objectstore or maintenance"}
fi

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(dirname "$bench_dir")

# Tools from apt, only when missing (gcc links the Native AOT build; zlib1g-dev is checked below); policy-rc.d keeps
# apt from starting docker-registry, redis-server or ceph as services. The object-store phase needs Ceph's RADOS
# Gateway (scripts/ceph-rgw.sh: ceph-mon, ceph-osd, radosgw, with uuidgen, curl and ss) and redis-server.
# Ceph and Redis only when the object-store phase runs.
missing=()
tools="docker-registry:docker-registry wrk:wrk hey:hey skopeo:skopeo jq:jq python3:python3 openssl:openssl gcc:gcc"
if [[ ,$phases, == *,objectstore,* ]]; then
  tools+=" radosgw:radosgw ceph-mon:ceph-mon ceph-osd:ceph-osd redis-server:redis-server uuidgen:uuid-runtime curl:curl ss:iproute2"
fi
for tool in $tools; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(zlib1g-dev)
if ((${#missing[@]})); then
  echo "installing ${missing[*]}"
  [[ -e /usr/sbin/policy-rc.d ]] || echo 'exit 101' > /usr/sbin/policy-rc.d
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

workdir=$(mktemp -d /tmp/berth-bench.XXXXXX)
driver_pid=
cleanup() {
  # The driver stops its servers itself; this catches whatever an interrupt left behind. A driver still busy after
  # 30 s (a TERM was once seen to be missed while its threads loaded a registry) is killed; the pids and the RGW
  # folder below stop the rest.
  if [[ -n $driver_pid ]] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [[ -f $workdir/pids ]]; then
    while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done < "$workdir/pids"
  fi
  # Ceph's daemons fork away from the script that starts them; it stops them by the pid files it keeps in rgw/run.
  if [[ -d $workdir/rgw/run ]]; then
    "$repo_dir/scripts/ceph-rgw.sh" stop "$workdir/rgw" >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

# Berth as it ships (the container image): a Release build compiled ahead of time (Native AOT).
echo "building Berth (Release, Native AOT)"
dotnet publish "$repo_dir/src/Berth" -c Release -r linux-x64 -p:PublishAot=true -o "$workdir/berth" -nologo -v quiet >/dev/null

python3 "$bench_dir/lib/bench.py" --mode "$mode" --berth "$workdir/berth/berth" \
  --workdir "$workdir" --results "$bench_dir/results" --phases "$phases" --command "bench/run.sh --$mode --phases $phases" &
driver_pid=$!
wait "$driver_pid"
