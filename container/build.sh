#!/usr/bin/env bash
# Builds the Berth container image: publishes berth for linux-x64 (Native AOT, or trimmed ReadyToRun without a C
# toolchain), stages a small build context and runs docker build with container/Dockerfile.
#
# usage: container/build.sh [-t TAG] [--base BASE_IMAGE]
#   -t TAG         the image tag (default berth:latest)
#   --base IMAGE   the base image (default: the Dockerfile's, mcr.microsoft.com/dotnet/runtime-deps:10.0); offline,
#                  make one with container/make-offline-base.sh and pass --base berth-base:local
# Uses DOCKER_HOST like docker does. Builds with the classic builder, which needs no frontend image.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tag=berth:latest
base=
while [ $# -gt 0 ]; do
  case "$1" in
    -t|--tag) tag=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Its own artifacts folder: the RID-specific restore and the trimmed build never touch the solution's obj/ and bin/,
# and a second run is incremental.
artifacts="$repo/artifacts/container"
context="$artifacts/context"
rm -rf "$context"
mkdir -p "$context/registry"

# Native AOT: one native executable (~18 MB) that answers its first request ~0.1 s after exec, where the JIT-ed
# build takes ~0.7 s. It needs a C toolchain to link; without one, the next best is published: trimmed (only the
# framework code berth uses, ~30 MB instead of ~110 MB) and ReadyToRun (precompiled, little JIT at start).
# Berth is AOT-clean (IsAotCompatible in Berth.csproj): any trim or AOT warning fails this build.
if command -v clang >/dev/null || command -v gcc >/dev/null; then
  publish=(-p:PublishAot=true)
else
  echo "build.sh: no clang or gcc to link Native AOT (apt-get install clang); publishing trimmed ReadyToRun instead" >&2
  publish=(--self-contained -p:PublishTrimmed=true -p:PublishReadyToRun=true)
fi
dotnet publish "$repo/src/Berth/Berth.csproj" -c Release -r linux-x64 "${publish[@]}" \
  -p:SatelliteResourceLanguages=en \
  --artifacts-path "$artifacts/build" -o "$context/app" --nologo -v quiet
# Debug symbols are for developers, and the web-assets manifest is for a site berth does not serve.
rm -f "$context"/app/*.pdb "$context"/app/*.dbg "$context"/app/*.staticwebassets.endpoints.json

cp "$repo/src/Berth/Configuration/default-config.yml" "$context/config.yml"
mkdir -p "$context/legacy-config"
ln -s /etc/distribution/config.yml "$context/legacy-config/config.yml"
cp "$repo/container/entrypoint.sh" "$repo/container/htpasswd" "$context/"

build_args=()
if [ -n "$base" ]; then
  build_args+=(--build-arg "BASE_IMAGE=$base")
fi
DOCKER_BUILDKIT=0 docker build --quiet "${build_args[@]}" -t "$tag" -f "$repo/container/Dockerfile" "$context" >/dev/null
echo "$tag"
