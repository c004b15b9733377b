#!/usr/bin/env bash
# The test command: installs the real clients the end-to-end tests drive (when missing), builds the solution and
# runs every test project of Berth.slnx. Ends with one line "N passed, N failed[, N skipped]" and a non-zero exit
# code on any failure. Safe to run again: installed packages are kept, earlier results are replaced.
set -euo pipefail

cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The browser tests use Debian's chromium: nothing may fetch Playwright's own browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# What the end-to-end tests run: dockerd + docker CLI, skopeo, podman, the reference registry (Distribution 2.8),
# a static busybox for the FROM-scratch test image, procps for kill(1) used to stop servers with SIGTERM, openssl for
# the registry lab's self-signed certificate, apache2-utils for htpasswd -vb (checks what berth htpasswd writes),
# gcc and zlib1g-dev, which Native AOT links the container image's berth with, strace, which shows the order of
# the system calls that make a published file durable, nginx-light, the reverse proxy in front of a registry served
# under http.prefix, the scale-out services: Ceph's RADOS Gateway (S3: one mon, one memstore OSD, radosgw), Redis and
# its Sentinel, rclone, which copies a filesystem registry into a bucket in the migration test, what
# scripts/ceph-rgw.sh runs beside Ceph (uuidgen, curl, ss), and chromium, the browser Playwright drives in the web
# page's tests (Playwright never downloads one here). Azurite (Azure Blob) comes from npm below.
packages=(docker.io skopeo podman docker-registry busybox-static procps openssl apache2-utils gcc zlib1g-dev strace nginx-light
  radosgw ceph-mon ceph-osd redis-server redis-sentinel rclone uuid-runtime curl iproute2 chromium)

install_missing_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages ${missing[*]}: run as root (or install them) so the end-to-end tests can run" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  # Packages must not start their services (dockerd would take the default socket and network setup).
  echo 'exit 101' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  local log
  log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "apt-get failed" >&2
    exit 1
  fi
  rm -f "$log"
}

# Sums one counter over the TRX files (one per test module) that xunit wrote.
sum_counter() {
  local name=$1 total=0 value
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    value=$(grep -o "<Counters [^>]*>" "$trx" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]*' || true)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

# Names every test that did not pass, with the first lines of its message: CI shows only the end of the output,
# and without this the name scrolls away above the module logs. Perl is in every Debian (perl-base).
list_failures() {
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    perl -0777 -ne '
      for my $block (split /<UnitTestResult /) {
        next unless $block =~ /^testName="([^"]*)" outcome="([^"]*)"/ && $2 ne "Passed" && $2 ne "NotExecuted";
        my ($name, $outcome) = ($1, $2);
        my ($message) = $block =~ /<Message>(.*?)<\/Message>/s;
        $message = "" unless defined $message;
        for ($name, $message) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&#xA;/\n/g; s/&#xD;//g; s/&amp;/&/g; }
        my @lines = grep { length } split /\n/, $message;
        splice(@lines, 12) if @lines > 12;
        print "$outcome: $name\n", map { "    $_\n" } @lines;
      }' "$trx"
  done
}

# Azurite, Microsoft's Azure Storage emulator, comes from npm (Debian has no package).
install_azurite() {
  if command -v azurite-blob >/dev/null; then
    return
  fi
  echo "installing azurite"
  local log
  log=$(mktemp)
  # npm comes with a Node.js of its own when one is installed (NodeSource's packages carry it, and Debian's npm
  # would conflict with them); only a machine without any gets Debian's.
  if ! command -v npm >/dev/null; then
    local packages=(nodejs npm)
    install_missing_packages
  fi
  if ! npm install -g --no-audit --no-fund azurite >"$log" 2>&1; then
    cat "$log" >&2
    echo "npm install azurite failed" >&2
    exit 1
  fi
  rm -f "$log"
}

install_missing_packages
install_azurite

results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build Berth.slnx --nologo -v quiet -clp:ErrorsOnly; then
  # No test ran; the count line is still printed because CI reads it, and it must not look like success.
  echo "the build failed: no tests ran" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Projects without tests yet exit with 8 ("zero tests ran"): not a failure. The MTP timeout and the outer timeout
# are generous backstops against a hung process, not expected run times.
# The web page's first-row timings (UiSpeedTests) run alone afterwards: every project runs at once here, and a
# browser timing taken while they load two cores measures them, not the page.
speed_tests=Berth.EndToEnd.Tests.Ui.UiSpeedTests
status=0
timeout --kill-after=1m 60m \
  dotnet test --solution Berth.slnx --no-build --results-directory "$results" \
    --report-xunit-trx --ignore-exit-code 8 --timeout 45m --filter-not-class "$speed_tests" || status=$?
timeout --kill-after=1m 10m \
  dotnet test --project tests/Berth.EndToEnd.Tests --no-build --results-directory "$results" \
    --report-xunit-trx --report-xunit-trx-filename ui-speed.trx --timeout 8m --filter-class "$speed_tests" || status=$?

passed=$(sum_counter passed)
failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
skipped=$(sum_counter notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A module that crashed or hung reports nothing in TRX: count it so the line never says all is well.
  echo "dotnet test exited with $status but no test failed in the reports: a test module crashed or timed out" >&2
  failed=1
fi

if [ "$failed" -gt 0 ]; then
  echo "what did not pass (the whole reports are in $results):"
  list_failures
fi

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
  summary="$summary, $skipped skipped"
fi
echo "$summary"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
