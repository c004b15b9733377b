#!/usr/bin/env bash
# A throwaway S3 server for tests and benchmarks: Ceph's RADOS Gateway over one monitor and one in-memory OSD, every
# file (config, data, sockets, pid files, logs) under one folder, so several instances run side by side.
#
#   scripts/ceph-rgw.sh start DIR           start mon, osd and radosgw; prints endpoint=, access_key=, secret_key=
#                                           (also written to DIR/env) once S3 answers
#   scripts/ceph-rgw.sh stop DIR            stop all three (ceph-osd takes ~5 s on SIGTERM)
#   scripts/ceph-rgw.sh stop-gateway DIR    stop only radosgw: the data stays (memstore loses it if the OSD stops)
#   scripts/ceph-rgw.sh start-gateway DIR   start radosgw again on the same port and data
#   scripts/ceph-rgw.sh bucket DIR NAME     create a bucket (names need >= 3 characters)
#
# Environment: RGW_PORT, MON_V2_PORT, MON_V1_PORT pick the ports (free ones are chosen otherwise);
# MEMSTORE_BYTES sizes the OSD (default 2 GiB; memstore holds data in RAM at ~1.7x what is stored);
# RGW_ACCESS_KEY, RGW_SECRET_KEY set the user's keys (fixed defaults otherwise).
set -euo pipefail

# The machine may carry AWS_* variables (AWS_CA_BUNDLE...); neither the servers nor curl must see them.
while IFS='=' read -r name _; do
  [[ $name == AWS_* ]] && unset "$name"
done < <(env)

usage() {
  sed -n '2,15p' "$0" >&2
  exit 2
}

[ $# -ge 2 ] || usage
command=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
conf=$dir/ceph.conf
readonly start_timeout=120

# A port nobody listens on now, from a range away from Ceph's own OSD ports (6800-7300) and the ephemeral range.
free_port() {
  local taken port
  taken=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u)
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! grep -qx "$port" <<<"$taken" && ! grep -qx "$port" <<<"${picked:-}"; then
      picked="${picked:-}"$'\n'"$port"
      echo "$port"
      return
    fi
  done
}

log_tails() {
  for log in "$dir"/log/*.log "$dir"/log/*.out; do
    [ -s "$log" ] || continue
    echo "==> $log <==" >&2
    tail -n 15 "$log" >&2
  done
}

die() {
  echo "ceph-rgw: $*" >&2
  exit 1
}

# A failed start: the message and the end of every log, since the cause is usually in another daemon's.
fail() {
  echo "ceph-rgw: $*" >&2
  log_tails
  exit 1
}

# Polls a command until it succeeds or the timeout passes.
wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$what not ready within ${timeout}s"
    sleep 0.2
  done
}

write_conf() {
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon_host = [v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_V1_PORT]
public_addr = 127.0.0.1
# No cephx: radosgw otherwise fails with EACCES unless the messenger modes are crc as well.
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_client_mode = crc
ms_cluster_mode = crc
ms_service_mode = crc
# One OSD: pools of size one, few placement groups (radosgw makes ~7 pools), no warnings about it.
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
osd_objectstore = memstore
memstore_device_bytes = ${MEMSTORE_BYTES:-2147483648}
run_dir = $dir/run
pid_file = $dir/run/\$name.pid
admin_socket = $dir/run/\$name.asok
log_file = $dir/log/\$name.log
mon_data = $dir/mon/\$name
osd_data = $dir/osd/\$name
keyring = /dev/null
mon_cluster_log_file = $dir/log/cluster.log

[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_data = $dir/rgw
# Deleted data is freed after 2 h otherwise, which a memstore OSD of a test cannot hold.
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 15
EOF
}

write_env() {
  cat >"$dir/env" <<EOF
endpoint=http://127.0.0.1:$RGW_PORT
access_key=$access_key
secret_key=$secret_key
fsid=$fsid
rgw_port=$RGW_PORT
mon_v2_port=$MON_V2_PORT
mon_v1_port=$MON_V1_PORT
EOF
}

read_env() {
  [ -f "$dir/env" ] || die "$dir/env missing: was '$0 start $dir' run?"
  # shellcheck disable=SC1090
  . "$dir/env"
}

s3_answers() {
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$endpoint/") || return 1
  [ "$code" = 200 ] || [ "$code" = 403 ]
}

start_gateway() {
  read_env
  mkdir -p "$dir/rgw"
  radosgw -c "$conf" -n client.rgw </dev/null >>"$dir/log/radosgw.out" 2>&1 || fail "radosgw did not start"
  wait_for "radosgw on $endpoint" "$start_timeout" s3_answers
}

start() {
  [ ! -f "$dir/run/mon.a.pid" ] || die "$dir seems in use already (run/mon.a.pid exists); stop it first"
  # Started before: same ports and keys again, so clients keep their endpoint; the data is new (memstore kept none).
  if [ -f "$dir/env" ]; then
    # shellcheck disable=SC1091
    . "$dir/env"
    MON_V2_PORT=${MON_V2_PORT:-$mon_v2_port} MON_V1_PORT=${MON_V1_PORT:-$mon_v1_port} RGW_PORT=${RGW_PORT:-$rgw_port}
    RGW_ACCESS_KEY=${RGW_ACCESS_KEY:-$access_key} RGW_SECRET_KEY=${RGW_SECRET_KEY:-$secret_key}
  fi
  rm -rf "$dir/mon" "$dir/osd" "$dir/rgw"
  mkdir -p "$dir/run" "$dir/log" "$dir/mon/mon.a" "$dir/osd/osd.0"
  fsid=$(uuidgen)
  MON_V2_PORT=${MON_V2_PORT:-$(free_port)}
  MON_V1_PORT=${MON_V1_PORT:-$(free_port)}
  RGW_PORT=${RGW_PORT:-$(free_port)}
  access_key=${RGW_ACCESS_KEY:-BERTHTESTACCESSKEY01}
  secret_key=${RGW_SECRET_KEY:-berth-test-secret-key-0123456789abcdefghij}
  write_conf
  write_env

  monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_V1_PORT]" "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" >>"$dir/log/mon.out" 2>&1 || fail "ceph-mon --mkfs failed"
  ceph-mon -c "$conf" -i a </dev/null >>"$dir/log/mon.out" 2>&1 || fail "ceph-mon did not start"
  wait_for "ceph-mon" "$start_timeout" timeout 10 ceph -c "$conf" mon stat

  local osd_uuid
  osd_uuid=$(uuidgen)
  ceph -c "$conf" osd new "$osd_uuid" 0 >>"$dir/log/mon.out" 2>&1 || fail "ceph osd new failed"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/osd.out" 2>&1 || fail "ceph-osd --mkfs failed"
  ceph-osd -c "$conf" -i 0 </dev/null >>"$dir/log/osd.out" 2>&1 || fail "ceph-osd did not start"
  wait_for "ceph-osd" "$start_timeout" osd_up

  start_gateway
  radosgw-admin -c "$conf" user create --uid=berth --display-name=Berth \
    --access-key="$access_key" --secret="$secret_key" >>"$dir/log/admin.out" 2>&1 || fail "radosgw-admin user create failed"
  head -n 3 "$dir/env"
}

osd_up() {
  timeout 10 ceph -c "$conf" osd stat | grep -q '1 up'
}

# SIGTERM to the daemon named by its pid file, then waits for it to go (SIGKILL after 30 s).
stop_daemon() {
  local pid_file=$dir/run/$1.pid pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -TERM "$pid" 2>/dev/null; then
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  rm -f "$pid_file"
}

stop() {
  stop_daemon client.rgw
  stop_daemon osd.0
  stop_daemon mon.a
}

bucket() {
  [ $# -eq 1 ] || usage
  read_env
  local code
  # curl 7.88 signs no payload hash itself, and radosgw refuses a signature without one.
  code=$(curl -s -o "$dir/log/bucket.out" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$access_key:$secret_key" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X PUT "$endpoint/$1") || die "curl failed creating bucket $1"
  [ "$code" = 200 ] || die "creating bucket $1 answered $code: $(cat "$dir/log/bucket.out")"
}

shift 2
case $command in
  start) start ;;
  stop) stop ;;
  stop-gateway) stop_daemon client.rgw ;;
  start-gateway) start_gateway ;;
  bucket) bucket "$@" ;;
  *) usage ;;
esac
