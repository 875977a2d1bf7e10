// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.metergate.simulator.model.ConsumptionModel;
import org.metergate.simulator.model.ModelSettings;
import org.metergate.simulator.model.RegisterState;

/**
 * One simulated IEC 62056-21 meter: its identity and protocol settings (fixed), its consumption model,
 * and the faults and counters tests change and read at runtime (thread-safe).
 */
public final class SimulatedMeter {

    /** The standard's minimum reaction time. */
    public static final Duration DEFAULT_REACTION_TIME = Duration.ofMillis(200);

    private static final Pattern MANUFACTURER = Pattern.compile("[A-Z]{2}[A-Za-z]");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E&&[^/!()*]]+");

    private final String id;
    private final String serialNumber;
    private final String manufacturer;
    private final String identification;
    private final String deviceAddress;
    private final ProtocolMode protocolMode;
    private final int maxBaudCode;
    private final Duration reactionTime;
    private final ConsumptionModel model;

    private final Set<Fault> faults = ConcurrentHashMap.newKeySet();
    private volatile Duration slowReactionTime = Duration.ofSeconds(3);
    private volatile ModeEHandler modeEHandler;
    private final MeterCounters counters = new MeterCounters();

    private SimulatedMeter(Builder b) {
        this.id = b.id;
        this.serialNumber = b.serialNumber != null ? b.serialNumber : deterministicSerial(b.modelSettings.seed(), b.id);
        this.manufacturer = b.manufacturer;
        this.identification = b.identification != null ? b.identification : defaultIdentification(serialNumber);
        this.deviceAddress = b.deviceAddress;
        this.protocolMode = b.protocolMode;
        this.maxBaudCode = b.maxBaudCode;
        this.reactionTime = b.reactionTime;
        this.model = new ConsumptionModel(b.modelSettings, b.id, b.restoredState);
        BaudRates.identificationCharacter(protocolMode, maxBaudCode); // rejects mode B at 300 baud early
        requirePrintable("serial number", serialNumber, 32);
        requirePrintable("identification", identification, 16);
    }

    /** {@code MGSIM} plus the serial number's tail, within the 16 characters an identification may have. */
    private static String defaultIdentification(String serial) {
        return "MGSIM" + serial.substring(Math.max(0, serial.length() - 11));
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** An eight-digit serial number derived from (seed, meter id), stable across runs. */
    public static String deterministicSerial(long seed, String meterId) {
        long h = (seed * 1_000_003L) ^ (meterId.hashCode() * 0x9E3779B97F4A7C15L);
        h ^= (h >>> 29);
        long digits = Math.floorMod(h * 0xBF58476D1CE4E5B9L, 90_000_000L);
        return Long.toString(10_000_000L + digits);
    }

    public String id() {
        return id;
    }

    public String serialNumber() {
        return serialNumber;
    }

    /** Three-letter FLAG manufacturer code. */
    public String manufacturer() {
        return manufacturer;
    }

    /** The identification text after {@code /XXXZ} (at most 16 characters). */
    public String identification() {
        return identification;
    }

    public Optional<String> deviceAddress() {
        return Optional.ofNullable(deviceAddress);
    }

    public ProtocolMode protocolMode() {
        return protocolMode;
    }

    public int maxBaudCode() {
        return maxBaudCode;
    }

    public int maxBaudRate() {
        return BaudRates.baudOf(maxBaudCode);
    }

    public Duration reactionTime() {
        return reactionTime;
    }

    public ConsumptionModel model() {
        return model;
    }

    public MeterCounters counters() {
        return counters;
    }

    public void injectFault(Fault fault) {
        faults.add(Objects.requireNonNull(fault));
    }

    /** Switches {@link Fault#SLOW_REACTION} on with the given reaction time. */
    public void injectSlowReaction(Duration reaction) {
        slowReactionTime = Objects.requireNonNull(reaction);
        faults.add(Fault.SLOW_REACTION);
    }

    public void clearFault(Fault fault) {
        faults.remove(fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    public boolean hasFault(Fault fault) {
        return faults.contains(fault);
    }

    public Set<Fault> faults() {
        return Set.copyOf(faults);
    }

    /** The wait before each answer: the reaction time, or the slow one while that fault is on. */
    public Duration effectiveReactionTime() {
        return faults.contains(Fault.SLOW_REACTION) ? slowReactionTime : reactionTime;
    }

    /** Installs (or with {@code null} removes) the handler for mode E; the identification then announces {@code \2}. */
    public void setModeEHandler(ModeEHandler handler) {
        this.modeEHandler = handler;
    }

    public Optional<ModeEHandler> modeEHandler() {
        return Optional.ofNullable(modeEHandler);
    }

    /** Whether a sign-on with this address (empty = any meter) is meant for this meter. */
    public boolean answersTo(String requestedAddress) {
        return requestedAddress.isEmpty() || requestedAddress.equals(deviceAddress);
    }

    @Override
    public String toString() {
        return "meter " + id + " (serial " + serialNumber + ", /" + manufacturer + " mode " + protocolMode + ", max "
                + maxBaudRate() + " baud)";
    }

    private static void requirePrintable(String what, String value, int maxLength) {
        if (value.length() > maxLength || !PRINTABLE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1.." + maxLength
                    + " printable ASCII characters without / ! ( ) *");
        }
    }

    /** Builds a meter; everything but the id has a sensible default. */
    public static final class Builder {
        private final String id;
        private String serialNumber;
        private String manufacturer = "MGS";
        private String identification;
        private String deviceAddress;
        private ProtocolMode protocolMode = ProtocolMode.C;
        private int maxBaudCode = 5;
        private Duration reactionTime = DEFAULT_REACTION_TIME;
        private ModelSettings modelSettings = ModelSettings.realTime(1);
        private RegisterState restoredState;

        private Builder(String id) {
            if (id == null || !id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException(
                        "meter id '" + id + "' must be 1..32 characters of letters, digits, '_' or '-'");
            }
            this.id = id;
        }

        public Builder serialNumber(String serial) {
            this.serialNumber = serial;
            return this;
        }

        public Builder manufacturer(String code) {
            if (code == null || !MANUFACTURER.matcher(code).matches()) {
                throw new IllegalArgumentException("manufacturer code '" + code
                        + "' must be three letters, the first two upper case (e.g. MGS)");
            }
            this.manufacturer = code;
            return this;
        }

        public Builder identification(String text) {
            this.identification = text;
            return this;
        }

        /** The device address this meter answers to besides the empty (broadcast) one; {@code null} for none. */
        public Builder deviceAddress(String address) {
            if (address != null && (address.length() > 32 || !PRINTABLE.matcher(address).matches())) {
                throw new IllegalArgumentException(
                        "device address '" + address + "' must be 1..32 printable ASCII characters without / ! ( ) *");
            }
            this.deviceAddress = address;
            return this;
        }

        public Builder protocolMode(ProtocolMode mode) {
            this.protocolMode = Objects.requireNonNull(mode);
            return this;
        }

        /** Highest baud rate code offered, 0..6 (300..19200 baud). */
        public Builder maxBaudCode(int code) {
            BaudRates.baudOf(code);
            this.maxBaudCode = code;
            return this;
        }

        public Builder maxBaudRate(int baud) {
            this.maxBaudCode = BaudRates.codeOf(baud);
            return this;
        }

        public Builder reactionTime(Duration reaction) {
            if (reaction.isNegative()) {
                throw new IllegalArgumentException("reaction time must not be negative, got " + reaction);
            }
            this.reactionTime = reaction;
            return this;
        }

        /** Seed, speed-up, zone and clocks of the consumption model. */
        public Builder model(ModelSettings settings) {
            this.modelSettings = Objects.requireNonNull(settings);
            return this;
        }

        public Builder seed(long seed) {
            this.modelSettings = new ModelSettings(seed, modelSettings.speedUp(), modelSettings.zone(),
                    modelSettings.realClock(), modelSettings.simulatedStart());
            return this;
        }

        /** Register totals to continue from (from a state file). */
        public Builder restoredState(RegisterState state) {
            this.restoredState = state;
            return this;
        }

        public SimulatedMeter build() {
            return new SimulatedMeter(this);
        }
    }
}
