#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Metergate demo: simulated IEC 62056-21 and DLMS/COSEM prepaid meters read by a real gateway that sends
# everything over MQTT 5 (mutual TLS) to the head-end simulator and its embedded broker, all on this machine.
#   ./demo.sh [--for SECONDS] [--meters N]
# Builds what is missing, starts both meter simulators and the head-end simulator (broker, PKI and
# credit-token signing key in demo-run/headend-pki), runs the gateway from demo-run/, commissions it
# (mg:csr -> head-end sign-csr -> mg:install-cert) and shows the gateway's log and what reaches the
# head-end. Then the prepaid story, told in [story] lines (about two minutes: ./demo.sh --for 150): bob pays
# 3.00 for DLMS meter d2 in the app (signed token, its receipts, the new balance); the meters, started with
# 10.00 EUR at a demo tariff of 10.00 EUR/kWh in their evening peak, drain their credit; the meters' low-credit
# events reach the head-end; bob's customer rule (demo-run/customers.properties) tops d2 up automatically;
# alice has no auto-recharge, so d1 is disconnected at zero (friendly-credit periods are off); she pays and
# the gateway reconnects d1. A summary of the story ends the run. The technician console's address and
# one-time setup code are printed once the gateway is up (docs/technician-guide.md). Ctrl-C (or the end of
# --for) stops everything.
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
CONSOLE_PORT=8443
GATEWAY_ID=demo-gateway

# --- build when an output is missing or older than any source ---------------------------------
needs_build() {
    [[ -x "$DISTRO/bin/metergate" && -f "$SIM_JAR" && -f "$HEADEND_JAR" ]] || return 0
    # the distro's tarball is written by every build (files inside the distro keep their jars' own times)
    local tarball oldest="$SIM_JAR"
    tarball="$(ls -t "$ROOT"/gateway-distro/target/metergate-*.tar.gz 2>/dev/null | head -n 1)"
    [[ -n "$tarball" ]] || return 0
    [[ "$tarball" -ot "$oldest" ]] && oldest="$tarball"
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
    declare -F story_summary >/dev/null && story_summary
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
# the meters check signed credit tokens with the head-end's public key, as the gateway does. The credit
# story has to fit in about two minutes: 10.00 EUR of credit, low-credit threshold 5.00 EUR, a demo tariff
# of 10.00 EUR/kWh and meter local time in the evening peak (18:00 at start, one simulated hour per real
# minute), so each 15-minute slot (15 s here) costs about 1.30 to 2.70 EUR. No friendly-credit period, so
# a meter out of credit is disconnected at once; control mode 2 lets the gateway reconnect it after a top-up.
STORY_CREDIT=1000 STORY_LOW_CREDIT=500 STORY_TARIFF=1000
utc_hour=$((10#$(date -u +%H)))
zone_hours=$(( (18 - utc_hour + 24) % 24 ))
[[ $zone_hours -le 12 ]] || zone_hours=$((zone_hours - 24))
METER_ZONE="$(printf '%+03d:00' "$zone_hours")"
java -jar "$SIM_JAR" dlms --count "$DLMS_METERS" --base-port "$DLMS_BASE_PORT" --speed-up 60 \
    --state-dir "$RUN_DIR/dlms-state" --headend-key "$TOKEN_KID=$TOKEN_PUBLIC_KEY" \
    --initial-credit "$STORY_CREDIT" --low-credit "$STORY_LOW_CREDIT" --tariff "$STORY_TARIFF" \
    --zone "$METER_ZONE" --friendly-window "" --friendly-days "" --control-mode 2 \
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
D2_SERIAL="$(dlms_serial 2)"
[[ -n "$D2_SERIAL" ]] || { echo "demo.sh: no serial for DLMS meter 2 in $RUN_DIR/dlms-simulator.out" >&2; exit 1; }
# alice (d1) has notices but no auto-recharge: her meter runs out and is disconnected, then she pays by hand.
# bob (d2) is topped up with 10.00 once his balance falls under 4.00 (once per crossing, not in a loop)
cat >"$RUN_DIR/customers.properties" <<CUSTOMERS
customer.alice.gateway=$GATEWAY_ID
customer.alice.meter=d1
customer.alice.tokenMeter=$D1_SERIAL
customer.alice.notifyBelow=6.00, 2.00
customer.bob.gateway=$GATEWAY_ID
customer.bob.meter=d2
customer.bob.tokenMeter=$D2_SERIAL
customer.bob.notifyBelow=6.00
customer.bob.autoRechargeBelow=4.00
customer.bob.autoRechargeAmount=10.00
customer.bob.channel=auto-recharge
CUSTOMERS
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
# the technician console: HTTPS with the gateway's own certificate, on this machine only
port_open "$CONSOLE_PORT" && { echo "demo.sh: port $CONSOLE_PORT (console) is in use; stop what listens there" >&2; exit 1; }
sed -i -e "s/^port=.*/port=$CONSOLE_PORT/" -e 's/^host=.*/host=127.0.0.1/' "$RUN_DIR/metergate/conf/org.metergate.console.cfg"
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
eventPollSeconds="5"
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
await_line 30 'console served on' "$RUN_DIR/gateway.out" \
    || { echo "demo.sh: the console did not start; see $RUN_DIR/gateway.out" >&2; exit 1; }
echo "demo.sh: technician console: https://127.0.0.1:$CONSOLE_PORT/ (the browser warns: the gateway's certificate" \
    "names $GATEWAY_ID, not this address)"
if command -v openssl >/dev/null; then
    echo "demo.sh:   it presents the certificate just installed, $(openssl x509 -noout -fingerprint -sha256 \
        -in "$COMMISSION/gateway-chain.pem" | sed 's/^.*Fingerprint=/SHA-256 fingerprint /')"
fi
"$RUN_DIR/metergate/bin/metergate" setup-code | sed 's/^/demo.sh:   /'
# the head-end link: its configuration is written once the gateway has a certificate, so it connects at once
cat >"$RUN_DIR/metergate/conf/org.metergate.headend.cfg" <<CFG
brokerUri=ssl://127.0.0.1:$HEADEND_PORT
reconnectInitialSeconds=1
reconnectMaxSeconds=10
batchMaxAgeMs=2000
CFG

# --- the story: each step is read from what reaches the head-end (headend.out), printed as a [story] line ---
HEADEND_OUT="$RUN_DIR/headend.out"
STORY_KEYS=(readings payment credited low-credit auto-recharge recharged exhausted disconnected repaid reconnected)
declare -A STORY_TITLE=(
    [readings]="readings flowing from the IEC and DLMS meters"
    [payment]="a payment: bob pays 3.00 for d2 in the app"
    [credited]="credit applied to d2, with its receipts and new balance"
    [low-credit]="balance draining to a low-credit warning"
    [auto-recharge]="auto-recharge: bob's rule tops d2 up"
    [recharged]="the automatic top-up credited on d2"
    [exhausted]="d1 out of credit (alice has no auto-recharge)"
    [disconnected]="d1 disconnected at zero"
    [repaid]="the next payment: alice pays 10.00 for d1"
    [reconnected]="d1 reconnected after the payment")
declare -A STORY_AT=()
story() { # key text...: prints a step once and remembers when it happened
    local key="$1"
    shift
    [[ -z "${STORY_AT[$key]:-}" ]] || return 0
    STORY_AT[$key]="$(date +%T)"
    echo "[story]    $*"
}
last_line() { grep -- "$1" "$HEADEND_OUT" 2>/dev/null | tail -n 1 || true; }
# the latest credit of a DLMS meter as its readings report it, e.g. 7.45 EUR
balance_of() {
    last_line " readings $1: .*0-0:19.0.0\*255 = " | sed -n 's/.*0-0:19\.0\.0\*255 = \([-0-9.]* [A-Z]*\).*/\1/p'
}
event_detail() { last_line " event $1 meter $2" | sed -n "s/.* event $1 meter $2: //p"; }

# pays through the head-end and says which receipts prove it: customer meter serial amount channel key
pay_for() {
    local customer="$1" meter="$2" serial="$3" amount="$4" channel="$5" key="$6"
    local wait_s=60 out="$RUN_DIR/payment-$customer.out"
    [[ -z "$RUN_FOR" ]] || wait_s=$(( RUN_FOR - ($(date +%s) - start) - 3 ))
    if [[ $wait_s -lt 10 ]]; then
        echo "[story]    too little time left for $customer's payment; run longer (--for) to see it"
        return 0
    fi
    java -jar "$HEADEND_JAR" pay --port "$HEADEND_PORT" --pki-dir "$PKI_DIR" --gateway "$GATEWAY_ID" \
        --meter "$serial" --amount "$amount" --channel "$channel" --timeout "$wait_s" >"$out" 2>&1 || true
    sed 's/^/[payment]  /' "$out"
    local token stages balance
    token="$(sed -n 's/^token \(he-[^:]*\):.*/\1/p' "$out")"
    stages="$(sed -n 's/^[0-9:]* \([a-z-]*\): \(.*\)/\1 \2/p' "$out" \
        | sed 's/^\(accepted\|entered\) .*/\1/; s/^balance .*/balance/' | paste -sd '>' - | sed 's/>/ -> /g')"
    balance="$(sed -n 's/^credited, balance //p' "$out")"
    if [[ -n "$balance" ]]; then
        story "$key" "$customer's payment applied to $meter: token $token, receipts $stages;" \
            "the balance receipt shows the new balance $balance"
    else
        echo "[story]    $customer's payment for $meter was not credited: $(tail -n 1 "$out")"
    fi
}

story_step() {
    if grep -q ' readings m1: ' "$HEADEND_OUT" && grep -q ' readings d1: .*0-0:19.0.0\*255' "$HEADEND_OUT" \
        && grep -q ' readings d2: .*0-0:19.0.0\*255' "$HEADEND_OUT"; then
        story readings "readings flow: IEC meters m1..m$METERS and prepaid DLMS meters d1, d2 reach the head-end" \
            "([head-end] readings lines); credit d1 $(balance_of d1), d2 $(balance_of d2), draining at the demo tariff"
    fi
    if [[ -n "${STORY_AT[readings]:-}" && -z "${STORY_AT[payment]:-}" ]]; then
        story payment "bob pays 3.00 for d2 in the app: the head-end signs a credit token (ES256) and sends it to" \
            "the gateway, which verifies it and enters it into the meter's token gateway"
        pay_for bob d2 "$D2_SERIAL" 3.00 app credited
    fi
    local meter line
    for meter in d1 d2; do
        if [[ -z "${STORY_AT[low-credit-$meter]:-}" ]] && grep -q " event low-credit meter $meter" "$HEADEND_OUT"; then
            story "low-credit-$meter" "low-credit warning: $meter's balance drained below the meter's threshold" \
                "$((STORY_LOW_CREDIT / 100)).00 EUR; the gateway forwarded the meter's event:" \
                "$(event_detail low-credit "$meter")"
            [[ -n "${STORY_AT[low-credit]:-}" ]] || STORY_AT[low-credit]="${STORY_AT[low-credit-$meter]}"
        fi
    done
    line="$(last_line 'auto-recharge for customer bob')"
    if [[ -n "$line" ]]; then
        story auto-recharge "auto-recharge: bob's rule fired once as d2 fell under 4.00 EUR:${line#*auto-recharge for customer bob:}"
        local token
        token="$(sed -n 's/.*; token \(he-[^ ]*\).*/\1/p' <<<"$line")"
        line="$(last_line "receipt token $token meter d2 balance: ")"
        if [[ -n "$token" && -n "$line" ]]; then
            story recharged "automatic top-up credited on d2: receipt 'balance' for token $token says ${line##*balance: }"
        fi
    fi
    if grep -q ' event credit-exhausted meter d1' "$HEADEND_OUT"; then
        story exhausted "d1 ran out of credit and alice has no auto-recharge: $(event_detail credit-exhausted d1)"
    fi
    if grep -q ' event disconnected meter d1' "$HEADEND_OUT"; then
        story disconnected "d1 disconnected at zero (no friendly-credit period):" \
            "$(event_detail disconnected d1)"
        if [[ -z "${STORY_AT[repaying]:-}" ]]; then
            story repaying "alice sees her power is off and pays 10.00 for d1 by chat"
            pay_for alice d1 "$D1_SERIAL" 10.00 chat repaid
        fi
    fi
    if [[ -n "${STORY_AT[repaid]:-}" ]] && grep -q ' event reconnected meter d1' "$HEADEND_OUT"; then
        story reconnected "d1 reconnected: the gateway saw the relay open after the top-up and used remote" \
            "reconnection (control mode 2): $(event_detail reconnected d1)"
    fi
}
story_summary() {
    [[ -n "${STORY_AT[readings]:-}" ]] || return 0
    local key reached=0
    echo "[story]    summary, in the order it happened:"
    for key in "${STORY_KEYS[@]}"; do
        [[ -z "${STORY_AT[$key]:-}" ]] || echo "[story]      ${STORY_AT[$key]}  ${STORY_TITLE[$key]}"
    done | sort -s -k2,2
    for key in "${STORY_KEYS[@]}"; do
        [[ -n "${STORY_AT[$key]:-}" ]] || echo "[story]      --:--:--  ${STORY_TITLE[$key]}: not reached in this run"
    done
    for key in "${STORY_KEYS[@]}"; do
        [[ -z "${STORY_AT[$key]:-}" ]] || reached=$((reached + 1))
    done
    if [[ $reached -eq ${#STORY_KEYS[@]} ]]; then
        echo "[story]    the whole story in one run; latest credit readings: d1 $(balance_of d1), d2 $(balance_of d2)"
    else
        echo "[story]    $reached of ${#STORY_KEYS[@]} steps; the story needs about two minutes (./demo.sh --for 150)"
    fi
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
    story_step
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
