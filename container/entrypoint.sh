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

# Started as root (the image's default): berth reads what only root may read, gives the storage to BERTH_USER and
# drops root before it serves. BERTH_USER=root keeps registry:2's behaviour of serving as root; a --user given on
# the command line wins.
case " $* " in *" --user"*) given_user=yes ;; *) given_user= ;; esac
if [ "${1:-}" = berth ] && [ "${2:-}" = serve ] && [ -z "$given_user" ] && [ "$(id -u)" = 0 ] \
    && [ "${BERTH_USER:-root}" != root ]; then
    shift 2
    set -- berth serve --user "$BERTH_USER" "$@"
fi

exec "$@"
