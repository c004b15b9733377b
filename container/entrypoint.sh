#!/bin/sh
# registry:2's and registry:3's entrypoint, with berth in place of the registry binary: nothing serves the image's
# config file in use, a config file path serves it, a berth verb or flag goes to berth, anything else (sh,
# htpasswd, ...) runs as given. exec keeps berth as PID 1, so docker stop's SIGTERM reaches it directly and it
# shuts down cleanly, and berth healthcheck finds the served file in /proc/1/cmdline.
set -e

current=/etc/distribution/config.yml
legacy=/etc/docker/registry/config.yml

# The file served when none is named. The image's default is registry:3's path and registry:2's is a link to it, so
# a file mounted at either path lands on the one default. Only a folder mounted over /etc/docker/registry (a
# Kubernetes ConfigMap, -v ./conf:/etc/docker/registry) hides the link: a config.yml there that is not the image's
# link was put there on purpose and wins, as a registry:2 user expects (a ConfigMap's files are links of its own,
# hence the test of the target, not of being a link). berth healthcheck applies the same rule when it finds no
# server (ContainerConfigFile).
config_in_use() {
    if [ -f "$legacy" ] && [ "$(readlink "$legacy")" != "$current" ]; then
        echo "$legacy"
    elif [ -e "$current" ]; then
        echo "$current"
    else
        echo "$legacy"
    fi
}

case "${1:-}" in
    '') set -- berth serve "$(config_in_use)" ;;
    *.yaml|*.yml) set -- berth serve "$@" ;;
    serve|garbage-collect|check|htpasswd|healthcheck|-*) set -- berth "$@" ;;
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
