#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds Metergate and runs every test: unit tests (surefire) and the distribution's integration
# tests (failsafe, which boot the assembled gateway against simulated meters).
# Extra arguments go to Maven (e.g. ./test.sh -o -pl bundles/log). Needs JDK 17 and Maven; installs socat (pseudo-terminal tests) when it is missing and we are root.
set -uo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }

for tool in java mvn; do
    if ! need "$tool"; then
        echo "test.sh: '$tool' not found. Install JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven)." >&2
        exit 2
    fi
done

if ! need socat; then
    if [[ $(id -u) -eq 0 ]] && need apt-get; then
        echo "test.sh: installing socat (used for pseudo-terminal serial tests)"
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q socat || {
            echo "test.sh: could not install socat; install it (apt-get install socat) and run again" >&2
            exit 2
        }
    else
        echo "test.sh: socat is missing; pseudo-terminal tests need it. Install it: sudo apt-get install -y socat" >&2
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
