#!/bin/sh
# registry:2's entrypoint, with berth in place of the registry binary: a config file path serves it, a berth verb
# or flag goes to berth, anything else (sh, htpasswd, ...) runs as given. exec keeps berth as PID 1, so docker
# stop's SIGTERM reaches it directly and it shuts down cleanly.
set -e

case "${1:-}" in
    '') set -- berth serve /etc/docker/registry/config.yml ;;
    *.yaml|*.yml) set -- berth serve "$@" ;;
    serve|garbage-collect|htpasswd|healthcheck|-*) set -- berth "$@" ;;
    help) set -- berth --help ;;
esac

exec "$@"
