#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs Metergate's benchmark suite and prints one table (Markdown) of the headline figures with their targets:
# IEC 62056-21 readout and DLMS profile read against the wire-time limit, store appends and bytes per reading,
# head-end backlog drain and MQTT bytes per reading, and the gateway's footprint with 32 simulated meters.
#   bench/run-all.sh                      all of them (about 10 minutes on 2 cores, longer under load)
#   BENCH="footprint iec" bench/run-all.sh  a subset: iec dlms store headend footprint
# Needs the reactor installed once first: mvn -B -q -o install -DskipTests
# Each benchmark's full report stays in its module's target/benchmarks/; logs in the directory printed at the end.
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
BENCH="${BENCH:-iec dlms store headend footprint}"
LOGS="$(mktemp -d -t metergate-bench.XXXXXX)"
ROWS=()

load() { cut -d' ' -f1 /proc/loadavg; }
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); }   # what, measured, target, load average at start
field() { sed -nE "s#$2#\\1#p" "$1" | head -n 1; }   # file, regex with one group (no #)

maven_benchmark() { # module test-class log-name
    local log="$LOGS/$3.log"
    echo "run-all.sh: $2 ($1) ..." >&2
    if ! mvn -B -q -o -pl "$1" test -Dtest="$2" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
        echo "run-all.sh: $2 failed; see $log" >&2
        return 1
    fi
}

for b in $BENCH; do
    case "$b" in
    iec)
        l=$(load)
        if maven_benchmark bundles/iec62056-21 ReadoutWireTimeBenchmark iec; then
            f=bundles/iec62056-21/target/benchmarks/iec-readout.txt
            row "IEC 62056-21 mode C readout / wire-time limit (median of 10)" \
                "$(field "$f" '.*median [0-9.]+ s \(ratio ([0-9.]+)\).*')" "≤ 1.10" "$l"
        else row "IEC 62056-21 readout" "failed (see $LOGS/iec.log)" "≤ 1.10" "$l"; fi
        ;;
    dlms)
        l=$(load)
        if maven_benchmark bundles/dlms ProfileWireTimeBenchmark dlms; then
            f=bundles/dlms/target/benchmarks/dlms-profile.txt
            for info in 256 2030; do
                row "DLMS 1-day profile over HDLC / wire-time limit, information field $info (median of 5)" \
                    "$(field "$f" "^information field $info:.*ratio median ([0-9.]+),.*")" "≤ 1.25" "$l"
            done
        else row "DLMS profile read" "failed (see $LOGS/dlms.log)" "≤ 1.25" "$l"; fi
        ;;
    store)
        l=$(load)
        if maven_benchmark bundles/store AppendBenchmark store; then
            f=bundles/store/target/benchmarks/store-append.txt
            row "store: durable appends/s, 256 appenders, group commit (median of 3 rounds)" \
                "$(field "$f" '^\| outbox, 256 appenders \(group commit\) .*\| +([0-9]+) \|$')" "≥ 100 000" "$l"
            row "store: group commit / Paho file persistence (ratio of medians)" \
                "$(field "$f" '.*group commit / Paho 1 thread = ([0-9.]+);.*')" "≥ 50" "$l"
            f=bundles/store/target/benchmarks/store-bytes.txt
            row "store: file bytes per reading, readouts of 16" \
                "$(field "$f" '^\| a readout of 16 readings .*\*\*([0-9.]+)\*\* \|$')" "≤ 64" "$l"
        else row "store benchmarks" "failed (see $LOGS/store.log)" "" "$l"; fi
        ;;
    headend)
        l=$(load)
        if maven_benchmark bundles/headend DrainBenchmark headend; then
            f=bundles/headend/target/benchmarks/headend-drain.txt
            row "head-end: drain 1 000 000 readings over mutual TLS, warm (s)" \
                "$(grep -E '^\| mutual TLS, direct ' "$f" | tail -n 1 | sed -nE 's/.*\*\*([0-9.]+)\*\*.*/\1/p')" "≤ 15" "$l"
            row "head-end: MQTT bytes per reading" \
                "$(field "$f" '^\| plaintext .*\*\*([0-9.]+)\*\* \|$')" "≤ 40" "$l"
        else row "head-end benchmarks" "failed (see $LOGS/headend.log)" "" "$l"; fi
        ;;
    footprint)
        l=$(load)
        echo "run-all.sh: footprint (32 meters) ..." >&2
        if bench/footprint.sh >"$LOGS/footprint.log" 2>&1; then
            f="$LOGS/footprint.log"
            row "gateway with 32 meters: resident memory after steady state (MB)" \
                "$(field "$f" '^rss_max_mb=(.*)')" "≤ 96" "$l"
            row "gateway: bundles installed (with the framework)" "$(field "$f" '^bundles=(.*)')" "≤ 40" "$l"
            row "gateway: start to first reading (s), first run / restart (class-data archive)" \
                "$(field "$f" '^first_reading_s=(.*)') / $(field "$f" '^restart_first_reading_s=(.*)')" "≤ 3" "$l"
            row "distribution: directory / tarball (MB)" \
                "$(field "$f" '^distro_mb=(.*)') / $(field "$f" '^tarball_mb=(.*)')" "≤ 25" "$l"
        else row "footprint" "failed (see $LOGS/footprint.log)" "" "$l"; fi
        ;;
    *)
        echo "run-all.sh: unknown benchmark '$b' (known: iec dlms store headend footprint)" >&2
        exit 2
        ;;
    esac
done

echo
echo "Metergate benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs"
echo
echo "| benchmark | measured | target | load average (1 min) at start |"
echo "|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Logs: $LOGS"
