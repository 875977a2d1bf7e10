#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds Metergate and runs every test: unit tests (surefire) and the distribution's integration
# tests (failsafe, which boot the assembled gateway against simulated meters).
# Extra arguments go to Maven (e.g. ./test.sh -o -pl bundles/log). Needs JDK 17 and Maven; installs socat (pseudo-terminal tests),
# mosquitto, chromium and chromium-driver (the console's browser test) when they are missing and we are root.
set -uo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }

for tool in java mvn; do
    if ! need "$tool"; then
        echo "test.sh: '$tool' not found. Install JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven)." >&2
        exit 2
    fi
done

# Debian packages the tests use: socat (pseudo-terminal serial links), mosquitto (real-broker interop),
# chromium and chromium-driver (headless browser driving the console).
# mosquitto is only run by the tests themselves on loopback ports; a system service it brings is stopped.
missing=()
need socat || missing+=(socat)
need mosquitto || [[ -x /usr/sbin/mosquitto ]] || missing+=(mosquitto)
need chromium || missing+=(chromium)
need chromedriver || missing+=(chromium-driver)
if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && need apt-get; then
        echo "test.sh: installing ${missing[*]}"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >/dev/null || {
            echo "test.sh: could not install ${missing[*]}; install them (apt-get install ${missing[*]}) and run again" >&2
            exit 2
        }
        if [[ " ${missing[*]} " == *" mosquitto "* ]]; then
            (service mosquitto stop || systemctl stop mosquitto) >/dev/null 2>&1 || true
        fi
    else
        echo "test.sh: missing ${missing[*]}; the tests need them. Install: sudo apt-get install -y ${missing[*]}" >&2
        exit 2
    fi
fi

log="$(mktemp -t metergate-test.XXXXXX.log)"
echo "test.sh: mvn -B verify $* (full log: $log)"
start=$(date +%s)
mvn -B verify "$@" 2>&1 | tee "$log" | grep -E --line-buffered '^\[INFO\] (Building |Tests run:|BUILD)|^\[(ERROR|WARNING)\] Tests run:|FAIL'
status=${PIPESTATUS[0]}
elapsed=$(( $(date +%s) - start ))

echo
echo "==================== summary ===================="
grep -E '^\[INFO\] .* (SUCCESS|FAILURE|SKIPPED) \[' "$log" | sed 's/^\[INFO\] /  /'
tests=0 failures=0 errors=0 skipped=0
while read -r t f e s; do
    tests=$((tests + t)) failures=$((failures + f)) errors=$((errors + e)) skipped=$((skipped + s))
done < <(grep -hE '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" \
          | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)/\1 \2 \3 \4/')
echo "  tests: $tests, failures: $failures, errors: $errors, skipped: $skipped (${elapsed}s)"
if [[ $status -ne 0 ]]; then
    echo "  RESULT: FAILED (mvn exit $status) — see $log and */target/*-reports/"
    exit "$status"
fi
echo "  RESULT: OK"
