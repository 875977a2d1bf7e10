#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Metergate demo: simulated IEC 62056-21 and DLMS/COSEM prepaid meters read by a real gateway that sends
# everything over MQTT 5 (mutual TLS) to the head-end simulator and its embedded broker, all on this machine.
#   ./demo.sh [--for SECONDS] [--meters N]
# Builds what is missing, starts both meter simulators and the head-end simulator (broker, PKI and
# credit-token signing key in demo-run/headend-pki), runs the gateway from demo-run/, commissions it
# (mg:csr -> head-end sign-csr -> mg:install-cert) and shows the gateway's log and what reaches the
# head-end. Then a customer pays 20.00 for DLMS meter d1 through the head-end: the signed token's receipts
# and the new balance are shown; customer rules (demo-run/customers.properties) send low-balance notices
# and top d2 up automatically. Ctrl-C (or the end of --for) stops everything.
# The DLMS meters' HLS5 keys (printed by the DLMS simulator) are entered through the gateway's shell, with
# mg:dlms-key, by a one-off start-up script that also does the commissioning (see "gateway shell script").
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
HEADEND_JAR="$ROOT/headend-simulator/target/metergate-headend.jar"
RUN_DIR="$ROOT/demo-run"
HEADEND_PORT=6883
GATEWAY_ID=demo-gateway

# --- build when an output is missing or older than any source ---------------------------------
needs_build() {
    [[ -x "$DISTRO/bin/metergate" && -f "$SIM_JAR" && -f "$HEADEND_JAR" ]] || return 0
    local oldest="$SIM_JAR"
    [[ "$DISTRO/bin/felix.jar" -ot "$oldest" ]] && oldest="$DISTRO/bin/felix.jar"
    [[ "$HEADEND_JAR" -ot "$oldest" ]] && oldest="$HEADEND_JAR"
    [[ -n "$(find "$ROOT" \( -path "$RUN_DIR" -o -name target -o -name .git \) -prune -o \
        \( -name '*.java' -o -name pom.xml -o -name bnd.bnd -o -path '*/src/main/dist/*' \) -type f \
        -newer "$oldest" -print -quit)" ]]
}
if needs_build; then
    echo "demo.sh: building (mvn -B -q -DskipTests install) ..."
    mvn -B -q -DskipTests install
fi

# --- processes we start, stopped on every way out -----------------------------------------------
SIM_PID="" DLMS_PID="" GW_PID="" HEADEND_PID="" TAIL_PID="" HEADEND_TAIL_PID=""
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
    echo "demo.sh: stopping gateway, head-end and simulators ..."
    stop_pid "$GW_PID" gateway
    stop_pid "$HEADEND_PID" "head-end simulator"
    stop_pid "$SIM_PID" simulator
    stop_pid "$DLMS_PID" "DLMS simulator"
    stop_pid "$TAIL_PID" "log display"
    stop_pid "$HEADEND_TAIL_PID" "head-end display"
    wait 2>/dev/null || true
    echo "demo.sh: stopped. Files stay in $RUN_DIR (gateway log: $RUN_DIR/metergate/data/log/metergate.log," \
        "head-end: $RUN_DIR/headend.out)"
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

# --- head-end credit-token signing key: the meters and the gateway verify tokens with its public half ---
PKI_DIR="$RUN_DIR/headend-pki"
KEY_INFO="$(java -jar "$HEADEND_JAR" signing-key --pki-dir "$PKI_DIR")"
echo "$KEY_INFO"
TOKEN_KID="$(sed -n 's/^kid: //p' <<<"$KEY_INFO")"
TOKEN_PUBLIC_KEY="$(sed -n 's/^public key: //p' <<<"$KEY_INFO")"
TOKEN_KEY_CFG="$(sed -n 's/^ *\(headendPublicKeys=.*\)$/\1/p' <<<"$KEY_INFO")"
[[ -n "$TOKEN_KID" && -f "$TOKEN_PUBLIC_KEY" && -n "$TOKEN_KEY_CFG" ]] || { echo "demo.sh: no token signing key in $PKI_DIR" >&2; exit 1; }

# --- DLMS/COSEM simulator: prepaid meters on the TCP wrapper (HLS5-GMAC management client) ---------
# the meters check signed credit tokens with the head-end's public key, as the gateway does
java -jar "$SIM_JAR" dlms --count "$DLMS_METERS" --base-port "$DLMS_BASE_PORT" --speed-up 60 \
    --state-dir "$RUN_DIR/dlms-state" --headend-key "$TOKEN_KID=$TOKEN_PUBLIC_KEY" \
    >"$RUN_DIR/dlms-simulator.out" 2>&1 </dev/null &
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
# tokens name a meter by its serial; the gateway knows it as d<i> (meterAliases below)
dlms_serial() { grep '^meter ' "$RUN_DIR/dlms-simulator.out" | sed -n "${1}p" | awk '{print $2}'; }
D1_SERIAL="$(dlms_serial 1)"
[[ -n "$D1_SERIAL" ]] || { echo "demo.sh: no serial for DLMS meter 1 in $RUN_DIR/dlms-simulator.out" >&2; exit 1; }

# --- head-end simulator: embedded MQTT 5 broker (mutual TLS) and head-end with customer rules -------
# alice pays for d1 by hand; bob's auto-recharge level is above d2's starting credit (20.00), so d2 is
# topped up once as soon as its balance is first reported, and not again until it has been above the level
cat >"$RUN_DIR/customers.properties" <<CUSTOMERS
customer.alice.gateway=$GATEWAY_ID
customer.alice.meter=d1
customer.alice.tokenMeter=$D1_SERIAL
customer.alice.notifyBelow=15.00, 5.00
CUSTOMERS
if [[ "$DLMS_METERS" -ge 2 ]]; then
    cat >>"$RUN_DIR/customers.properties" <<CUSTOMERS
customer.bob.gateway=$GATEWAY_ID
customer.bob.meter=d2
customer.bob.tokenMeter=$(dlms_serial 2)
customer.bob.notifyBelow=25.00, 10.00
customer.bob.autoRechargeBelow=25.00
customer.bob.autoRechargeAmount=10.00
customer.bob.channel=auto-recharge
CUSTOMERS
fi
port_open "$HEADEND_PORT" && { echo "demo.sh: port $HEADEND_PORT is in use; stop what listens there" >&2; exit 1; }
: >"$RUN_DIR/headend.out"
java -jar "$HEADEND_JAR" run --port "$HEADEND_PORT" --pki-dir "$PKI_DIR" --readings summary \
    --customers "$RUN_DIR/customers.properties" >"$RUN_DIR/headend.out" 2>&1 </dev/null &
HEADEND_PID=$!
for _ in $(seq 1 150); do
    grep -q 'broker listening' "$RUN_DIR/headend.out" && break
    kill -0 "$HEADEND_PID" 2>/dev/null || { echo "demo.sh: the head-end simulator stopped:" >&2; cat "$RUN_DIR/headend.out" >&2; exit 1; }
    sleep 0.2
done
grep -q 'broker listening' "$RUN_DIR/headend.out" || { echo "demo.sh: head-end simulator not listening after 30 s:" >&2; cat "$RUN_DIR/headend.out" >&2; exit 1; }
tail -n +1 -F --pid=$$ "$RUN_DIR/headend.out" 2>/dev/null > >(sed -u 's/^/[head-end] /') &
HEADEND_TAIL_PID=$!

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
# the security service (which holds the DLMS keys and the device identity) needs the gateway's id
echo "gatewayId=$GATEWAY_ID" >"$RUN_DIR/metergate/conf/org.metergate.security.cfg"
# credit tokens: the head-end's public key, and each DLMS meter's serial (how tokens name it) as an alias
# of its gateway id; lists in a .cfg use the typed form ["a", "b"], which then applies to every value
aliases=""
for i in $(seq 1 "$DLMS_METERS"); do
    aliases+="${aliases:+, }\"$(dlms_serial "$i")=d$i\""
done
cat >"$RUN_DIR/metergate/conf/org.metergate.prepay.cfg" <<CFG
headendPublicKeys=["${TOKEN_KEY_CFG#headendPublicKeys=}"]
currency="EUR"
meterAliases=[$aliases]
retryInitialSeconds="5"
retryMaxSeconds="30"
CFG
# gateway shell script, run once at start. DLMS meter keys: the simulator prints each meter's test keys;
# the script enters them with mg:dlms-key, exactly as a technician would type them (the keys end up AES-GCM
# encrypted in data/security/). Then commissioning: it writes the gateway's certificate request (mg:csr),
# this script has the head-end CA sign it, and the shell installs the certificate (mg:install-cert). The
# shell waits for each step on a named pipe. The script is deleted once the keys are stored.
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
COMMISSION="$RUN_DIR/commissioning"
mkdir -p "$COMMISSION"
mkfifo "$COMMISSION/identity-ready" "$COMMISSION/certificate-ready"
cat >>"$KEY_SCRIPT" <<GOSH
cat $COMMISSION/identity-ready
echo (mg:csr) > $COMMISSION/gateway.csr
cat $COMMISSION/certificate-ready
mg:install-cert $COMMISSION/gateway-chain.pem $COMMISSION/ca.pem
GOSH
# the shell runs the script once at start and keeps the gateway running (--noshutdown)
printf '\n# demo.sh: enter the DLMS meter keys once at start\ngosh.args=--nointeractive --noshutdown %s\n' \
    "$KEY_SCRIPT" >>"$RUN_DIR/metergate/etc/config.properties"

echo "demo.sh: meters configured in $RUN_DIR/metergate/conf:"
ls "$RUN_DIR/metergate/conf" | grep meter- | sed 's/^/  /'

# --- gateway ----------------------------------------------------------------------------------------
: >"$RUN_DIR/gateway.out"
"$RUN_DIR/metergate/bin/metergate" run </dev/null >"$RUN_DIR/gateway.out" 2>&1 &
GW_PID=$!
tail -n +1 -F --pid=$$ "$RUN_DIR/gateway.out" 2>/dev/null > >(sed -u 's/^/[gateway]  /') &
TAIL_PID=$!
echo "demo.sh: gateway running (pid $GW_PID); its log shows as [gateway], what reaches the head-end as [head-end].${RUN_FOR:+ Stopping after $RUN_FOR s.} Ctrl-C stops."
start=$(date +%s)

# waits up to $1 seconds for pattern $2 in file $3; fails if the gateway stops
await_line() {
    local limit=$(( $(date +%s) + $1 ))
    while ! grep -q -- "$2" "$3" 2>/dev/null; do
        kill -0 "$GW_PID" 2>/dev/null || { echo "demo.sh: the gateway stopped; see $RUN_DIR/gateway.out" >&2; exit 1; }
        [[ $(date +%s) -lt $limit ]] || return 1
        sleep 0.5
    done
}
# a step of the shell script waits on a named pipe: release it (bounded, in case the shell is not there)
release() { timeout 30 bash -c "echo '$2' >'$1'" || { echo "demo.sh: the gateway shell did not take $1" >&2; exit 1; }; }

# --- commissioning: CSR on the gateway, signed by the head-end CA, certificate installed on the gateway ---
await_line 60 "device identity $GATEWAY_ID ready" "$RUN_DIR/gateway.out" \
    || { echo "demo.sh: the gateway's identity did not start; see $RUN_DIR/gateway.out" >&2; exit 1; }
release "$COMMISSION/identity-ready" "demo.sh: commissioning - mg:csr"
await_line 30 'END CERTIFICATE REQUEST' "$COMMISSION/gateway.csr" \
    || { echo "demo.sh: no certificate request from mg:csr in $COMMISSION/gateway.csr" >&2; exit 1; }
echo "demo.sh: certificate request from the gateway; the head-end CA signs it:"
java -jar "$HEADEND_JAR" sign-csr --pki-dir "$PKI_DIR" --csr "$COMMISSION/gateway.csr" \
    --out "$COMMISSION/gateway-chain.pem"
cp "$PKI_DIR/ca.pem" "$COMMISSION/ca.pem"
release "$COMMISSION/certificate-ready" "demo.sh: commissioning - mg:install-cert"
await_line 30 'installed certificate' "$RUN_DIR/gateway.out" \
    || { echo "demo.sh: the certificate was not installed; see $RUN_DIR/gateway.out" >&2; exit 1; }
# the head-end link: its configuration is written once the gateway has a certificate, so it connects at once
cat >"$RUN_DIR/metergate/conf/org.metergate.headend.cfg" <<CFG
brokerUri=ssl://127.0.0.1:$HEADEND_PORT
reconnectInitialSeconds=1
reconnectMaxSeconds=10
batchMaxAgeMs=2000
CFG

# --- a payment: 20.00 for d1 through the app, once d1's balance has reached the head-end ---------------
PAID=false
pay_when_ready() {
    $PAID && return 0
    grep -q "readings d1: .*0-0:19.0.0\*255" "$RUN_DIR/headend.out" || return 0
    PAID=true
    local wait_s=60
    [[ -z "$RUN_FOR" ]] || wait_s=$(( RUN_FOR - ($(date +%s) - start) - 3 ))
    if [[ $wait_s -lt 10 ]]; then
        echo "demo.sh: too little time left for a payment; run longer (--for) to see one"
        return 0
    fi
    echo "demo.sh: customer alice pays 20.00 for meter d1 (serial $D1_SERIAL) in the app:"
    java -jar "$HEADEND_JAR" pay --port "$HEADEND_PORT" --pki-dir "$PKI_DIR" --gateway "$GATEWAY_ID" \
        --meter "$D1_SERIAL" --amount 20.00 --channel app --timeout "$wait_s" 2>&1 | sed -u 's/^/[payment]  /' || true
}

while kill -0 "$GW_PID" 2>/dev/null; do
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
        echo "demo.sh: the simulator stopped unexpectedly; see $RUN_DIR/simulator.out" >&2
        exit 1
    fi
    if ! kill -0 "$DLMS_PID" 2>/dev/null; then
        echo "demo.sh: the DLMS simulator stopped unexpectedly; see $RUN_DIR/dlms-simulator.out" >&2
        exit 1
    fi
    if ! kill -0 "$HEADEND_PID" 2>/dev/null; then
        echo "demo.sh: the head-end simulator stopped unexpectedly; see $RUN_DIR/headend.out" >&2
        exit 1
    fi
    pay_when_ready
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
