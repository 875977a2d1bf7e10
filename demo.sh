#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Metergate demo: simulated IEC 62056-21 and DLMS/COSEM prepaid meters read by a real gateway, all on
# this machine.
#   ./demo.sh [--for SECONDS] [--meters N]
# Builds what is missing, starts both meter simulators, runs the gateway from demo-run/ and shows its
# log (each readout is logged at INFO). Ctrl-C (or the end of --for) stops everything.
# The DLMS meters' HLS5 keys (printed by the DLMS simulator) are entered through the gateway's shell,
# with mg:dlms-key, by a one-off start-up script (see "DLMS meter keys" below).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd -P)"

RUN_FOR=""
METERS=3
BASE_PORT=6101
DLMS_METERS=2
DLMS_BASE_PORT=6201   # meter i: wrapper port base+2i
usage() { echo "usage: $0 [--for SECONDS] [--meters N]"; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --for) RUN_FOR="${2:-}"; shift 2 ;;
        --meters) METERS="${2:-}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "demo.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$METERS" =~ ^[1-9][0-9]*$ ]] || { echo "demo.sh: --meters needs a positive number, got '$METERS'" >&2; exit 2; }
[[ -z "$RUN_FOR" || "$RUN_FOR" =~ ^[1-9][0-9]*$ ]] || { echo "demo.sh: --for needs seconds, got '$RUN_FOR'" >&2; exit 2; }

for tool in java mvn; do
    command -v "$tool" >/dev/null || { echo "demo.sh: '$tool' not found; install JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven)" >&2; exit 2; }
done

DISTRO="$ROOT/gateway-distro/target/metergate"
SIM_JAR="$ROOT/simulator/target/metergate-simulator.jar"
RUN_DIR="$ROOT/demo-run"

# --- build when an output is missing or older than any source ---------------------------------
needs_build() {
    [[ -x "$DISTRO/bin/metergate" && -f "$SIM_JAR" ]] || return 0
    local oldest="$SIM_JAR"
    [[ "$DISTRO/bin/felix.jar" -ot "$oldest" ]] && oldest="$DISTRO/bin/felix.jar"
    [[ -n "$(find "$ROOT" \( -path "$RUN_DIR" -o -name target -o -name .git \) -prune -o \
        \( -name '*.java' -o -name pom.xml -o -name bnd.bnd -o -path '*/src/main/dist/*' \) -type f \
        -newer "$oldest" -print -quit)" ]]
}
if needs_build; then
    echo "demo.sh: building (mvn -B -q -DskipTests install) ..."
    mvn -B -q -DskipTests install
fi

# --- processes we start, stopped on every way out -----------------------------------------------
SIM_PID="" DLMS_PID="" GW_PID="" TAIL_PID=""
stop_pid() { # pid name
    local pid="$1" name="$2"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "demo.sh: $name (pid $pid) did not stop in 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    trap - INT TERM EXIT
    echo
    echo "demo.sh: stopping gateway and simulator ..."
    stop_pid "$GW_PID" gateway
    stop_pid "$SIM_PID" simulator
    stop_pid "$DLMS_PID" "DLMS simulator"
    stop_pid "$TAIL_PID" "log display"
    wait 2>/dev/null || true
    echo "demo.sh: stopped. Gateway files stay in $RUN_DIR (log: $RUN_DIR/metergate/data/log/metergate.log)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- run directory --------------------------------------------------------------------------------
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
cp -R "$DISTRO" "$RUN_DIR/metergate"

# --- simulator --------------------------------------------------------------------------------------
SIM_ARGS=(meters --count "$METERS" --base-port "$BASE_PORT" --speed-up 60)
PTY=false
if command -v socat >/dev/null; then
    PTY=true
    SIM_ARGS+=(--pty-dir "$RUN_DIR/pty")
else
    echo "demo.sh: socat not installed; meters are offered on TCP only (apt-get install socat adds a serial pty)"
fi
java -jar "$SIM_JAR" "${SIM_ARGS[@]}" >"$RUN_DIR/simulator.out" 2>&1 </dev/null &
SIM_PID=$!

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
last_port=$((BASE_PORT + METERS - 1))
for _ in $(seq 1 150); do
    port_open "$last_port" && break
    kill -0 "$SIM_PID" 2>/dev/null || { echo "demo.sh: the simulator stopped:" >&2; cat "$RUN_DIR/simulator.out" >&2; exit 1; }
    sleep 0.2
done
port_open "$last_port" || { echo "demo.sh: simulator not listening on port $last_port after 30 s:" >&2; cat "$RUN_DIR/simulator.out" >&2; exit 1; }
if $PTY; then
    for _ in $(seq 1 50); do [[ -e "$RUN_DIR/pty/m1" ]] && break; sleep 0.2; done
fi
cat "$RUN_DIR/simulator.out"

# --- DLMS/COSEM simulator: prepaid meters on the TCP wrapper (HLS5-GMAC management client) ---------
java -jar "$SIM_JAR" dlms --count "$DLMS_METERS" --base-port "$DLMS_BASE_PORT" --speed-up 60 \
    --state-dir "$RUN_DIR/dlms-state" >"$RUN_DIR/dlms-simulator.out" 2>&1 </dev/null &
DLMS_PID=$!
last_dlms_port=$((DLMS_BASE_PORT + 2 * (DLMS_METERS - 1)))
for _ in $(seq 1 150); do
    port_open "$last_dlms_port" && break
    kill -0 "$DLMS_PID" 2>/dev/null || { echo "demo.sh: the DLMS simulator stopped:" >&2; cat "$RUN_DIR/dlms-simulator.out" >&2; exit 1; }
    sleep 0.2
done
port_open "$last_dlms_port" || { echo "demo.sh: DLMS simulator not listening on port $last_dlms_port after 30 s:" >&2; cat "$RUN_DIR/dlms-simulator.out" >&2; exit 1; }
for _ in $(seq 1 50); do
    [[ $(grep -c 'test keys:' "$RUN_DIR/dlms-simulator.out") -ge $DLMS_METERS ]] && break
    sleep 0.2
done
cat "$RUN_DIR/dlms-simulator.out"

# --- meter configuration: one file per meter ----------------------------------------------------
write_meter() { # meterId link
    cat >"$RUN_DIR/metergate/conf/org.metergate.iec62056.meter-$1.cfg" <<CFG
meterId=$1
link=$2
pollIntervalSeconds=10
CFG
}
for i in $(seq 1 "$METERS"); do
    write_meter "m$i" "tcp://127.0.0.1:$((BASE_PORT + i - 1))"
done
if $PTY && [[ -e "$RUN_DIR/pty/m1" ]]; then
    # the same simulated meter once more, over a pseudo-terminal: the serial path a real probe uses
    write_meter "m1-serial" "$RUN_DIR/pty/m1"
fi

# --- DLMS meters: one file per meter, with the prepayment values read at each poll ------------------
# the security service (which holds the DLMS keys) needs the gateway's id
echo "gatewayId=demo-gateway" >"$RUN_DIR/metergate/conf/org.metergate.security.cfg"
# DLMS meter keys: the simulator prints each meter's test keys; a start-up script of the gateway's shell
# enters them with mg:dlms-key, exactly as a technician would type them (the keys end up AES-GCM encrypted
# in data/security/). The script is deleted once the keys are stored.
KEY_SCRIPT="$RUN_DIR/metergate/etc/demo-dlms-keys.gosh"
: >"$KEY_SCRIPT"
chmod 600 "$KEY_SCRIPT"
for i in $(seq 1 "$DLMS_METERS"); do
    keys_line="$(grep 'test keys:' "$RUN_DIR/dlms-simulator.out" | sed -n "${i}p")"
    auth="$(sed -n 's/.*authentication \([0-9A-Fa-f]\{32\}\).*/\1/p' <<<"$keys_line")"
    enc="$(sed -n 's/.*encryption \([0-9A-Fa-f]\{32\}\).*/\1/p' <<<"$keys_line")"
    [[ -n "$auth" && -n "$enc" ]] || { echo "demo.sh: no keys for DLMS meter $i in $RUN_DIR/dlms-simulator.out" >&2; exit 1; }
    echo "mg:dlms-key d$i authentication $auth" >>"$KEY_SCRIPT"
    echo "mg:dlms-key d$i encryption $enc" >>"$KEY_SCRIPT"
    cat >"$RUN_DIR/metergate/conf/org.metergate.dlms.meter-d$i.cfg" <<CFG
meterId=d$i
link=tcp://127.0.0.1:$((DLMS_BASE_PORT + 2 * (i - 1)))
authentication=HLS5_GMAC
pollIntervalSeconds=10
values=111/0-0:19.0.0.255/5/-2/EUR, 70/0-0:96.3.10.255/2
CFG
done
# the shell runs the script once at start and keeps the gateway running (--noshutdown)
printf '\n# demo.sh: enter the DLMS meter keys once at start\ngosh.args=--nointeractive --noshutdown %s\n' \
    "$KEY_SCRIPT" >>"$RUN_DIR/metergate/etc/config.properties"

echo "demo.sh: meters configured in $RUN_DIR/metergate/conf:"
ls "$RUN_DIR/metergate/conf" | grep meter- | sed 's/^/  /'

# --- gateway ----------------------------------------------------------------------------------------
: >"$RUN_DIR/gateway.out"
"$RUN_DIR/metergate/bin/metergate" run </dev/null >"$RUN_DIR/gateway.out" 2>&1 &
GW_PID=$!
tail -n +1 -F "$RUN_DIR/gateway.out" 2>/dev/null &
TAIL_PID=$!
echo "demo.sh: gateway running (pid $GW_PID); readings appear below as they arrive.${RUN_FOR:+ Stopping after $RUN_FOR s.} Ctrl-C stops."

start=$(date +%s)
while kill -0 "$GW_PID" 2>/dev/null; do
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
        echo "demo.sh: the simulator stopped unexpectedly; see $RUN_DIR/simulator.out" >&2
        exit 1
    fi
    if ! kill -0 "$DLMS_PID" 2>/dev/null; then
        echo "demo.sh: the DLMS simulator stopped unexpectedly; see $RUN_DIR/dlms-simulator.out" >&2
        exit 1
    fi
    if [[ -f "$KEY_SCRIPT" ]] && [[ $(grep -c 'key of meter d[0-9]* stored' "$RUN_DIR/gateway.out") -ge $((2 * DLMS_METERS)) ]]; then
        rm -f "$KEY_SCRIPT"
    fi
    if [[ -n "$RUN_FOR" && $(( $(date +%s) - start )) -ge $RUN_FOR ]]; then
        exit 0
    fi
    sleep 1
done
echo "demo.sh: the gateway stopped; see $RUN_DIR/gateway.out" >&2
exit 1
