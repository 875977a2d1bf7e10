#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Footprint of the assembled gateway: runs gateway-distro/target/metergate (a copy, with the launcher's default
# JVM options) against N simulated IEC 62056-21 meters and reports resident memory after steady state, bundle
# count, time from start to the first reading, and distribution size; then stops it and starts it again with the same
# data/ (a restart: the class-data sharing archive the first run wrote is used) and reports the time to the first
# reading again (RESTART=0 skips that). Prints "key=value" lines.
#   bench/footprint.sh            (METERS=32 SETTLE_SECONDS=60 SAMPLES=6 BASE_PORT=6401 RESTART=1 to change;
#                                  FOOTPRINT_JAVA_OPTS="..." replaces the launcher's default JVM options)
# Needs the reactor installed first: mvn -B -q -o install -DskipTests
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
METERS="${METERS:-32}"
SETTLE_SECONDS="${SETTLE_SECONDS:-60}"
SAMPLES="${SAMPLES:-6}"
BASE_PORT="${BASE_PORT:-6401}"
DISTRO="$ROOT/gateway-distro/target/metergate"
SIM_JAR="$ROOT/simulator/target/metergate-simulator.jar"
TARBALL="$(ls -t "$ROOT"/gateway-distro/target/metergate-*.tar.gz 2>/dev/null | head -n 1 || true)"

for f in "$DISTRO/bin/metergate" "$SIM_JAR" "$TARBALL"; do
    [[ -e "$f" ]] || { echo "footprint.sh: ${f:-the distribution tarball} is missing; build first: mvn -B -q -o install -DskipTests" >&2; exit 2; }
done

RUN="$(mktemp -d -t metergate-footprint.XXXXXX)"
SIM_PID=""
GW="$RUN/metergate"
pid=""
stop_pid() { # pid: TERM, then KILL after 20 s
    [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    stop_pid "$pid"
    stop_pid "$SIM_PID"
    wait 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

cp -R "$DISTRO" "$GW"
rm -rf "$GW/data"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
java -Xmx128m -jar "$SIM_JAR" meters --count "$METERS" --base-port "$BASE_PORT" --seed 1 >"$RUN/simulator.out" 2>&1 </dev/null &
SIM_PID=$!
for _ in $(seq 1 300); do
    port_open $((BASE_PORT + METERS - 1)) && break
    kill -0 "$SIM_PID" 2>/dev/null || { echo "footprint.sh: the simulator stopped:" >&2; cat "$RUN/simulator.out" >&2; exit 1; }
    sleep 0.2
done
port_open $((BASE_PORT + METERS - 1)) || { echo "footprint.sh: simulator not listening after 60 s" >&2; exit 1; }

for i in $(seq 1 "$METERS"); do
    printf 'meterId=m%d\nlink=tcp://127.0.0.1:%d\npollIntervalSeconds=15\n' "$i" $((BASE_PORT + i - 1)) \
        >"$GW/conf/org.metergate.iec62056.meter-m$i.cfg"
done

LOG="$GW/data/log/metergate.log"
start_gateway() { # sets pid and start_ms
    start_ms=$(date +%s%3N)
    # "run" in the background rather than "start", which waits a second before it returns
    if [[ -n "${FOOTPRINT_JAVA_OPTS:-}" ]]; then
        JAVA_OPTS="$FOOTPRINT_JAVA_OPTS" "$GW/bin/metergate" run </dev/null >>"$RUN/gateway.out" 2>&1 &
    else
        env -u JAVA_OPTS "$GW/bin/metergate" run </dev/null >>"$RUN/gateway.out" 2>&1 &   # the launcher's defaults
    fi
    pid=$!   # the launcher execs java
}
await_first_reading() { # sets first_ms and log_ms
    # first reading: the metering bundle logs "<meter> read N values: ..." for every readout
    first_ms="" log_ms=""
    for _ in $(seq 1 1200); do
        [[ -z "$log_ms" && -s "$LOG" ]] && log_ms=$(date +%s%3N)   # the framework runs and the log bundle writes
        if [[ -f "$LOG" ]] && grep -qE '\[metering\] m[0-9]+ read [0-9]+ values' "$LOG"; then
            first_ms=$(date +%s%3N)
            break
        fi
        kill -0 "$pid" 2>/dev/null || { echo "footprint.sh: the gateway stopped:" >&2; tail -n 30 "$RUN/gateway.out" >&2 || true; exit 1; }
        sleep 0.05
    done
    [[ -n "$first_ms" ]] || { echo "footprint.sh: no reading within 60 s" >&2; tail -n 30 "$LOG" >&2; exit 1; }
}
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b - a) / 1000}'; }
start_gateway
await_first_reading

meters_read() { grep -oE '\[metering\] m[0-9]+ read [0-9]+ values' "$LOG" | awk '{print $2}' | sort -u | wc -l; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
steady_state() { # sets all_read, last_rss, max_rss, hwm_kb
    for _ in $(seq 1 240); do
        [[ $(meters_read) -ge $METERS ]] && break
        sleep 0.5
    done
    all_read=$(meters_read)
    sleep "$SETTLE_SECONDS"
    max_rss=0 last_rss=0
    for _ in $(seq 1 "$SAMPLES"); do
        last_rss=$(rss_kb)
        (( last_rss > max_rss )) && max_rss=$last_rss
        sleep 5
    done
    hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
}
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
steady_state
load=$(cut -d' ' -f1 /proc/loadavg)
# installed bundles: one cache directory each (bundle1..), plus the framework itself (bundle0, the system bundle)
bundles=$(( $(find "$GW/data/felix-cache" -maxdepth 1 -type d -name 'bundle[1-9]*' | wc -l) + 1 ))
bundle_jars=$(find "$GW/bundle" -maxdepth 1 -name '*.jar' | wc -l)
readouts=$(grep -cE '\[metering\] m[0-9]+ read [0-9]+ values' "$LOG" || true)
errors=$(grep -cE '^[^ ]+ ERROR ' "$LOG" || true)
jvm_opts=$(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -oE -- '-(Xms|Xmx|Xss|XX:)[^ ]+' | tr '\n' ' ')

echo "meters=$METERS"
echo "meters_read=$all_read"
echo "readouts=$readouts"
echo "errors_in_log=$errors"
echo "jvm_options=${jvm_opts% }"
echo "rss_mb=$(awk -v k="$last_rss" 'BEGIN {printf "%.1f", k / 1024}')"
echo "rss_max_mb=$(awk -v k="$max_rss" 'BEGIN {printf "%.1f", k / 1024}')"
echo "rss_peak_mb=$(awk -v k="$hwm_kb" 'BEGIN {printf "%.1f", k / 1024}')"
echo "bundles=$bundles"
echo "bundle_jars=$bundle_jars"
echo "first_log_line_s=$(seconds_between "$start_ms" "${log_ms:-$first_ms}")"
echo "first_reading_s=$(seconds_between "$start_ms" "$first_ms")"
echo "distro_mb=$(du -sb "$DISTRO" | awk '{printf "%.1f", $1 / 1e6}')"
echo "tarball_mb=$(stat -c %s "$TARBALL" | awk '{printf "%.1f", $1 / 1e6}')"
echo "load_average=$load"

# restart: same installation and data/ (database, class-data sharing archive written when the first run stopped)
if [[ "${RESTART:-1}" != 0 ]]; then
    stop_pid "$pid"
    cds_mb=$({ find "$GW/data/cds" -name '*.jsa' -printf '%s\n' 2>/dev/null || true; } | awk '{s += $1} END {printf "%.1f", s / 1e6}')
    mv "$LOG" "$RUN/metergate-first-run.log"
    start_gateway
    await_first_reading
    echo "cds_archive_mb=$cds_mb"
    echo "restart_first_log_line_s=$(seconds_between "$start_ms" "${log_ms:-$first_ms}")"
    echo "restart_first_reading_s=$(seconds_between "$start_ms" "$first_ms")"
    echo "restart_load_average=$(cut -d' ' -f1 /proc/loadavg)"
    steady_state
    echo "restart_meters_read=$all_read"
    echo "restart_jvm_options=$(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -oE -- '-(Xms|Xmx|Xss|XX:)[^ ]+' | tr '\n' ' ' | sed 's/ $//')"
    echo "restart_rss_max_mb=$(mb "$max_rss")"
    echo "restart_rss_peak_mb=$(mb "$hwm_kb")"
fi
