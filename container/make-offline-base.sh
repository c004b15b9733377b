#!/usr/bin/env bash
# Makes a base image for container/Dockerfile where no public registry is reachable (CI, this repository's test
# suite): the few Debian packages a self-contained .NET app needs, unpacked with dpkg -x and imported into docker.
# It stands in for mcr.microsoft.com/dotnet/runtime-deps:10.0 and matches what the Dockerfile expects of it:
# glibc, libstdc++, libssl3, CA certificates, /bin/sh (a static busybox), /tmp, and the non-root user 1654 ("app",
# as in the official .NET images).
#
# usage: container/make-offline-base.sh [TAG]     (default berth-base:local; uses DOCKER_HOST like docker does)
set -euo pipefail

tag=${1:-berth-base:local}
if [ "$(id -u)" -ne 0 ]; then
  # The image's files must belong to root and /home/app to the app user: that takes root (as docker does).
  echo "make-offline-base.sh: run as root" >&2
  exit 1
fi
docker=${DOCKER:-docker}
packages=(libc6 libgcc-s1 gcc-12-base libstdc++6 libssl3 zlib1g ca-certificates busybox-static)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$work/debs" "$root"

# apt-get download needs the package lists; a fresh machine has none until apt-get update ran.
if ! (cd "$work/debs" && apt-get download -qq "${packages[@]}" >/dev/null 2>&1); then
  apt-get update -qq
  (cd "$work/debs" && apt-get download -qq "${packages[@]}")
fi
for deb in "$work"/debs/*.deb; do
  dpkg -x "$deb" "$root"
done

# ca-certificates' bundle is written by its postinst (update-ca-certificates), which dpkg -x does not run.
mkdir -p "$root/etc/ssl/certs"
cat "$root"/usr/share/ca-certificates/*/*.crt > "$root/etc/ssl/certs/ca-certificates.crt"

# A shell for the entrypoint and the htpasswd wrapper, and busybox's other applets for debugging, as registry:2
# (Alpine) has them. Symlinks into the image's own /bin/busybox.
mkdir -p "$root/bin" "$root/usr/bin" "$root/sbin" "$root/usr/sbin"
for applet in $("$root/bin/busybox" --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# What nothing in the image reads: documentation, translations, iconv modules (.NET uses invariant globalization).
rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/locale "$root"/usr/share/lintian \
  "$root"/usr/share/info "$root"/usr/lib/x86_64-linux-gnu/gconv

mkdir -p "$root/tmp" "$root/etc" "$root/root" "$root/home/app"
chmod 1777 "$root/tmp"
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
app:x:1654:1654:app:/home/app:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
app:x:1654:
nogroup:x:65534:
GROUP
chown 1654:1654 "$root/home/app"

tar --numeric-owner -C "$root" -c . | "$docker" import - "$tag" >/dev/null
echo "$tag"
