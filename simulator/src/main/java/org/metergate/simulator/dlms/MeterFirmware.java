// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The firmware of one simulated prepaid meter, independent of DLMS: energy registers, load profile, credit,
 * emergency credit, relay and token handling, persisted in a state file. The COSEM objects read and drive it.
 *
 * <p>Energy is accounted in 15-minute slots: a slot's consumption counts if the relay was connected when the slot
 * began, and credit is charged when the slot ends. Disconnecting therefore takes effect from the next slot.
 */
public final class MeterFirmware {
    private static final Logger LOG = Logger.getLogger(MeterFirmware.class.getName());

    /** IC 112 credit_status values used for the emergency credit. */
    static final int CREDIT_ENABLED = 0;
    static final int CREDIT_SELECTABLE = 1;
    static final int CREDIT_SELECTED = 2;
    static final int CREDIT_IN_USE = 3;
    static final int CREDIT_EXHAUSTED = 4;

    private static final int USED_TOKEN_MEMORY = 10_000;
    private static final long SLOTS_PER_DAY = 86_400 / SlotConsumptionModel.SLOT_SECONDS;

    private final DlmsMeterConfig config;
    private final SlotConsumptionModel model;
    private final SimClock clock;
    private final Path stateFile;
    private final MeterState state;
    private final long importBaseWh;
    private final long exportBaseWh;

    /** Cumulative energies at slot boundaries cacheOrigin..cacheOrigin+cachedSlots, index 0 = cacheOrigin. */
    private long[] cumImport = new long[1024];
    private long[] cumExport = new long[1024];
    private long[] cumT1 = new long[1024];
    private long[] cumT2 = new long[1024];
    private int cachedSlots = -1;
    private long cacheOrigin;
    private boolean invocationCounterDirty;
    private boolean closed;
    /** Wall-clock nanos when a token entered with status "received" is processed; 0 = now (after a restart). */
    private long pendingTokenDueNanos;

    private MeterFirmware(DlmsMeterConfig config, SimClock clock, Path stateFile, MeterState state) {
        this.config = config;
        this.model = config.consumptionModel();
        this.clock = clock;
        this.stateFile = stateFile;
        this.state = state;
        this.importBaseWh = 1_000_000 + Math.round(model.unit(0, 7) * 4_000_000);
        this.exportBaseWh = config.solarPeakWatts() > 0 ? Math.round(model.unit(0, 8) * 500_000) : 0;
    }

    /** Opens the meter: loads its state file, or starts a fresh meter with history when there is none. */
    public static MeterFirmware open(DlmsMeterConfig config, SimClock clock, Path stateFile) throws IOException {
        MeterState state;
        if (stateFile != null && Files.exists(stateFile)) {
            state = MeterState.load(stateFile);
        } else {
            state = fresh(config, clock.now());
        }
        MeterFirmware meter = new MeterFirmware(config, clock, stateFile, state);
        synchronized (meter) {
            meter.advance();
            meter.save();
        }
        return meter;
    }

    private static MeterState fresh(DlmsMeterConfig config, Instant now) {
        MeterState s = new MeterState();
        long current = SlotConsumptionModel.slotOf(now);
        s.originSlot = current - config.historyDays() * SLOTS_PER_DAY;
        s.accountedSlot = current;
        s.creditMilli = config.initialCreditMinor() * 1000;
        s.lowCreditThresholdMinor = config.lowCreditThresholdMinor();
        s.emergencyStatus = CREDIT_ENABLED;
        s.emergencyRemainingMilli = config.emergencyCreditMinor() * 1000;
        s.controlMode = config.controlMode();
        s.lastSimTimeMillis = now.toEpochMilli();
        return s;
    }

    public DlmsMeterConfig config() {
        return config;
    }

    public String serial() {
        return config.serial();
    }

    /** The meter's own time: simulated time plus any clock adjustment made through the clock object. */
    public synchronized Instant now() {
        return clock.now().plusMillis(state.clockOffsetMillis);
    }

    // ---------------------------------------------------------------- accounting

    /** Brings registers, credit and relay up to the meter's current time; every reader calls this first. */
    public synchronized void advance() {
        Instant now = now();
        long current = SlotConsumptionModel.slotOf(now);
        boolean changed = false;
        while (state.accountedSlot < current) {
            accountSlot(state.accountedSlot);
            state.accountedSlot++;
            changed = true;
        }
        state.lastSimTimeMillis = Math.max(state.lastSimTimeMillis, now.toEpochMilli());
        processPendingToken();
        if (changed || invocationCounterDirty) {
            save();
        }
    }

    private void accountSlot(long slot) {
        if (connected(slot)) {
            charge(model.importWh(slot) * config.tariffMinorPerKwh());
        }
        Instant slotEnd = SlotConsumptionModel.slotStart(slot + 1);
        checkCredit(slotEnd, slot + 1);
    }

    private void charge(long costMilli) {
        long cost = costMilli;
        if (state.creditMilli > 0) {
            long take = Math.min(cost, state.creditMilli);
            state.creditMilli -= take;
            cost -= take;
        }
        boolean emergencyActive = state.emergencyStatus == CREDIT_SELECTED || state.emergencyStatus == CREDIT_IN_USE;
        if (cost > 0 && emergencyActive && state.emergencyRemainingMilli > 0) {
            state.emergencyStatus = CREDIT_IN_USE;
            long take = Math.min(cost, state.emergencyRemainingMilli);
            state.emergencyRemainingMilli -= take;
            cost -= take;
        }
        if (emergencyActive && state.emergencyRemainingMilli == 0) {
            state.emergencyStatus = CREDIT_EXHAUSTED;
            log(MeterEvent.EMERGENCY_CREDIT_EXHAUSTED, now());
        }
        // what no credit covers becomes debt (friendly periods keep the power on)
        state.creditMilli -= cost;
    }

    private void checkCredit(Instant at, long nextSlot) {
        long available = availableCreditMilli();
        if (available <= state.lowCreditThresholdMinor * 1000) {
            if (!state.lowCreditAlarmRaised) {
                state.lowCreditAlarmRaised = true;
                log(MeterEvent.LOW_CREDIT, at);
            }
            if (state.emergencyStatus == CREDIT_ENABLED && state.emergencyRemainingMilli > 0) {
                state.emergencyStatus = CREDIT_SELECTABLE;
                log(MeterEvent.EMERGENCY_CREDIT_SELECTABLE, at);
            }
        } else {
            state.lowCreditAlarmRaised = false;
        }
        if (available <= 0) {
            if (!state.outOfCreditAlarmRaised) {
                state.outOfCreditAlarmRaised = true;
                log(MeterEvent.CREDIT_EXHAUSTED, at);
            }
            if (state.outputConnected && DisconnectControl.localDisconnectAllowed(state.controlMode)
                    && !config.friendlyCredit().isFriendly(at, config.zone())) {
                openRelay(nextSlot, DisconnectControl.READY_FOR_RECONNECTION, MeterState.DisconnectReason.CREDIT);
                log(MeterEvent.LOCAL_DISCONNECT, at);
            }
        } else {
            state.outOfCreditAlarmRaised = false;
        }
    }

    /** Token credit plus the emergency credit when it has been invoked, in milli-minor units. */
    private long availableCreditMilli() {
        boolean emergencyActive = state.emergencyStatus == CREDIT_SELECTED || state.emergencyStatus == CREDIT_IN_USE;
        return state.creditMilli + (emergencyActive ? state.emergencyRemainingMilli : 0);
    }

    private boolean connected(long slot) {
        for (long[] range : state.disconnections) {
            if (slot >= range[0] && slot < range[1]) {
                return false;
            }
        }
        return true;
    }

    private void openRelay(long fromSlot, int controlState, MeterState.DisconnectReason reason) {
        if (state.outputConnected) {
            state.disconnections.add(new long[] { fromSlot, Long.MAX_VALUE });
        }
        state.outputConnected = false;
        state.controlState = controlState;
        state.disconnectReason = reason;
    }

    private void closeRelay() {
        long nextSlot = SlotConsumptionModel.slotOf(now()) + 1;
        for (long[] range : state.disconnections) {
            if (range[1] == Long.MAX_VALUE) {
                range[1] = nextSlot;
            }
        }
        state.disconnections.removeIf(range -> range[1] <= range[0]);
        state.outputConnected = true;
        state.controlState = DisconnectControl.CONNECTED;
        state.disconnectReason = MeterState.DisconnectReason.NONE;
    }

    private void log(MeterEvent event, Instant at) {
        state.addEvent(at.getEpochSecond(), event.code());
    }

    // ---------------------------------------------------------------- energy

    /** Index of {@code boundary} in the cumulative arrays, computing them as far as needed. */
    private int cacheIndex(long boundary) {
        if (cachedSlots >= 0 && boundary < cacheOrigin) {
            cachedSlots = -1; // older than what is kept: rebuild from the origin
        }
        if (cachedSlots < 0) {
            cacheOrigin = state.originSlot;
            cumImport[0] = importBaseWh;
            cumT1[0] = importBaseWh * 7 / 10;
            cumT2[0] = importBaseWh - cumT1[0];
            cumExport[0] = exportBaseWh;
            cachedSlots = 0;
        }
        int needed = (int) Math.max(0, boundary - cacheOrigin);
        if (needed > cachedSlots) {
            extendCache(needed);
        }
        return (int) Math.max(0, boundary - cacheOrigin);
    }

    private void extendCache(int needed) {
        if (needed + 1 > cumImport.length) {
            int capacity = Math.max(needed + 1, cumImport.length * 2);
            cumImport = Arrays.copyOf(cumImport, capacity);
            cumExport = Arrays.copyOf(cumExport, capacity);
            cumT1 = Arrays.copyOf(cumT1, capacity);
            cumT2 = Arrays.copyOf(cumT2, capacity);
        }
        for (int i = cachedSlots; i < needed; i++) {
            long slot = cacheOrigin + i;
            boolean on = connected(slot);
            long in = on ? model.importWh(slot) : 0;
            boolean night = model.isNightTariff(slot);
            cumImport[i + 1] = cumImport[i] + in;
            cumT1[i + 1] = cumT1[i] + (night ? 0 : in);
            cumT2[i + 1] = cumT2[i] + (night ? in : 0);
            cumExport[i + 1] = cumExport[i] + (on ? model.exportWh(slot) : 0);
        }
        cachedSlots = needed;
        // a meter running for years at high speed-up keeps only what the load profile can still show
        long keep = profileCapacity() + 1;
        if (cachedSlots > 4 * keep) {
            int drop = (int) (cachedSlots - keep);
            for (long[] array : List.of(cumImport, cumExport, cumT1, cumT2)) {
                System.arraycopy(array, drop, array, 0, (int) keep + 1);
            }
            cacheOrigin += drop;
            cachedSlots -= drop;
        }
    }

    /** Register values at an instant: {import, tariff 1, tariff 2, export} in Wh. */
    synchronized long[] registersAt(Instant instant) {
        long slot = SlotConsumptionModel.slotOf(instant);
        if (slot < state.originSlot) {
            slot = state.originSlot;
            instant = SlotConsumptionModel.slotStart(slot);
        }
        int i = cacheIndex(slot);
        double fraction = (instant.getEpochSecond() - slot * SlotConsumptionModel.SLOT_SECONDS)
                / (double) SlotConsumptionModel.SLOT_SECONDS;
        boolean on = connected(slot);
        long partIn = on ? Math.round(model.importWh(slot) * fraction) : 0;
        long partOut = on ? Math.round(model.exportWh(slot) * fraction) : 0;
        boolean night = model.isNightTariff(slot);
        return new long[] { cumImport[i] + partIn, cumT1[i] + (night ? 0 : partIn), cumT2[i] + (night ? partIn : 0),
                cumExport[i] + partOut };
    }

    /** Active energy import register (1-0:1.8.0) now, in Wh. */
    public synchronized long importWh() {
        advance();
        return registersAt(now())[0];
    }

    /** Active energy export register (1-0:2.8.0) now, in Wh. */
    public synchronized long exportWh() {
        advance();
        return registersAt(now())[3];
    }

    /** Instantaneous active power in W: the model's power for the current slot, 0 with the relay open. */
    public synchronized long powerWatts() {
        advance();
        return state.outputConnected ? model.powerWatts(SlotConsumptionModel.slotOf(now())) : 0;
    }

    /** Voltage in 0.1 V steps, around 230 V. */
    synchronized long voltageDeciVolts() {
        long slot = SlotConsumptionModel.slotOf(now());
        return state.outputConnected ? 2250 + Math.round(model.unit(slot, 3) * 100) : 0;
    }

    /** Current in 0.01 A steps, consistent with power and voltage. */
    synchronized long currentCentiAmps() {
        long volts = voltageDeciVolts();
        return volts == 0 ? 0 : Math.round(powerWatts() * 1000.0 / volts);
    }

    /** Frequency in 0.01 Hz steps, around 50 Hz. */
    synchronized long frequencyCentiHertz() {
        return 4990 + Math.round(model.unit(SlotConsumptionModel.slotOf(now()), 4) * 20);
    }

    // ---------------------------------------------------------------- load profile

    /** Maximum number of entries the load profile keeps (the configured history). */
    public long profileCapacity() {
        return config.historyDays() * SLOTS_PER_DAY;
    }

    /** Boundary slots of the captures currently in the profile, oldest first: {first, count}. */
    synchronized long[] profileWindow() {
        advance();
        long current = SlotConsumptionModel.slotOf(now());
        long count = Math.min(profileCapacity(), current - state.originSlot);
        return new long[] { current - count + 1, count };
    }

    /** The capture at a slot boundary: {epochSecond, import Wh, export Wh}. */
    public synchronized long[] captureAt(long boundarySlot) {
        int i = cacheIndex(boundarySlot);
        return new long[] { boundarySlot * SlotConsumptionModel.SLOT_SECONDS, cumImport[i], cumExport[i] };
    }

    // ---------------------------------------------------------------- prepayment

    /** Available credit (IC 111 attribute 5) in minor units: token credit plus invoked emergency credit. */
    public synchronized long availableCreditMinor() {
        advance();
        return Math.floorDiv(availableCreditMilli(), 1000);
    }

    /** Token credit alone (IC 112 0-0:19.10.0.255 attribute 2) in minor units; negative means debt. */
    public synchronized long tokenCreditMinor() {
        advance();
        return Math.floorDiv(state.creditMilli, 1000);
    }

    public synchronized long emergencyCreditMinor() {
        advance();
        return Math.floorDiv(state.emergencyRemainingMilli, 1000);
    }

    public synchronized int emergencyCreditStatus() {
        advance();
        return state.emergencyStatus;
    }

    public synchronized long lowCreditThresholdMinor() {
        return state.lowCreditThresholdMinor;
    }

    synchronized void setLowCreditThresholdMinor(long minor) {
        advance();
        state.lowCreditThresholdMinor = minor;
        checkCredit(now(), SlotConsumptionModel.slotOf(now()) + 1);
        save();
    }

    /**
     * IC 111 attribute 4 bits as an int, bit 0 = first bit on the wire (most significant bit of the octet):
     * 0 in credit, 1 low credit, 2 next credit enabled, 3 next credit selectable, 5 selected credit in use,
     * 6 out of credit.
     */
    public synchronized int creditStatusBits() {
        advance();
        long available = availableCreditMilli();
        int bits = 0;
        if (available > 0) {
            bits |= 1 << 0;
        }
        if (available <= state.lowCreditThresholdMinor * 1000) {
            bits |= 1 << 1;
        }
        if (state.emergencyStatus == CREDIT_ENABLED || state.emergencyStatus == CREDIT_SELECTABLE) {
            bits |= 1 << 2;
        }
        if (state.emergencyStatus == CREDIT_SELECTABLE) {
            bits |= 1 << 3;
        }
        if (state.emergencyStatus == CREDIT_IN_USE) {
            bits |= 1 << 5;
        }
        if (available <= 0) {
            bits |= 1 << 6;
        }
        return bits;
    }

    /** IC 112 method 3 on the emergency credit: accepted only while it is selectable. */
    public synchronized boolean invokeEmergencyCredit() {
        advance();
        if (state.emergencyStatus != CREDIT_SELECTABLE) {
            return false;
        }
        state.emergencyStatus = CREDIT_SELECTED;
        log(MeterEvent.EMERGENCY_CREDIT_INVOKED, now());
        creditRestored();
        save();
        return true;
    }

    /**
     * Enters a token as through the token gateway (IC 115 method 1). With a processing delay configured the
     * status stays "received, not yet processed" (8) until the delay has passed, as on meters that verify tokens
     * in the background; a token still unprocessed at a restart is processed then.
     */
    public synchronized TokenStatus enterToken(byte[] token) {
        advance();
        state.lastToken = token.clone();
        state.tokenTimeMillis = now().toEpochMilli();
        state.tokenStatus = TokenStatus.RECEIVED.code();
        state.tokenDescription = "";
        pendingTokenDueNanos = System.nanoTime() + config.tokenProcessingDelay().toNanos();
        save();
        processPendingToken();
        return TokenStatus.ofCode(state.tokenStatus);
    }

    private void processPendingToken() {
        if (state.tokenStatus != TokenStatus.RECEIVED.code() || System.nanoTime() - pendingTokenDueNanos < 0) {
            return;
        }
        Instant now = now();
        try {
            CreditToken credit = config.tokenVerifier().verify(state.lastToken.clone(), config.serial());
            if (state.usedTokenIds.contains(credit.tokenId())) {
                throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL,
                        "token " + credit.tokenId() + " was already used on this meter");
            }
            applyCredit(credit);
            state.tokenStatus = TokenStatus.EXECUTION_OK.code();
            state.tokenDescription = credit.description();
            log(MeterEvent.TOKEN_ACCEPTED, now);
        } catch (TokenRejectedException e) {
            state.tokenStatus = e.status().code();
            state.tokenDescription = e.getMessage();
            log(MeterEvent.TOKEN_REJECTED, now);
            LOG.info(() -> "meter " + config.serial() + " rejected a token: " + e.getMessage());
        } catch (RuntimeException e) {
            state.tokenStatus = TokenStatus.EXECUTION_FAIL.code();
            state.tokenDescription = "verifier failed: " + e;
            log(MeterEvent.TOKEN_REJECTED, now);
            LOG.log(Level.WARNING, "token verifier of meter " + config.serial() + " failed", e);
        }
        // credit, used token id and status land in the state file together
        save();
    }

    private void applyCredit(CreditToken credit) {
        state.usedTokenIds.add(credit.tokenId());
        while (state.usedTokenIds.size() > USED_TOKEN_MEMORY) {
            state.usedTokenIds.remove(state.usedTokenIds.iterator().next());
        }
        long amountMilli = credit.amountMinor() * 1000;
        boolean emergencyUsed = state.emergencyStatus >= CREDIT_SELECTED;
        if (emergencyUsed) {
            // a top-up first pays back the emergency credit that was used
            long used = config.emergencyCreditMinor() * 1000 - state.emergencyRemainingMilli;
            long repay = Math.min(used, amountMilli);
            amountMilli -= repay;
            state.emergencyRemainingMilli += repay;
            if (state.emergencyRemainingMilli >= config.emergencyCreditMinor() * 1000) {
                state.emergencyStatus = CREDIT_ENABLED;
            }
        }
        state.creditMilli += amountMilli;
        checkCredit(now(), SlotConsumptionModel.slotOf(now()) + 1);
        creditRestored();
    }

    /** Reconnects after a credit disconnection when the control mode allows local reconnection. */
    private void creditRestored() {
        if (availableCreditMilli() > 0 && !state.outputConnected
                && state.controlState == DisconnectControl.READY_FOR_RECONNECTION
                && state.disconnectReason == MeterState.DisconnectReason.CREDIT
                && DisconnectControl.localReconnectAllowed(state.controlMode)) {
            closeRelay();
            log(MeterEvent.LOCAL_RECONNECT, now());
        }
    }

    private boolean mayConnectNow() {
        return availableCreditMilli() > 0 || config.friendlyCredit().isFriendly(now(), config.zone());
    }

    // ---------------------------------------------------------------- disconnect control

    public synchronized boolean relayConnected() {
        advance();
        return state.outputConnected;
    }

    public synchronized int controlState() {
        advance();
        return state.controlState;
    }

    public synchronized int controlMode() {
        return state.controlMode;
    }

    synchronized void setControlMode(int mode) {
        if (mode < 0 || mode > 6) {
            throw new IllegalArgumentException("control mode must be 0..6");
        }
        state.controlMode = mode;
        if (mode == 0 && !state.outputConnected) {
            closeRelay();
        }
        save();
    }

    /** IC 70 method 1; false when the control mode forbids it. */
    public synchronized boolean remoteDisconnect() {
        advance();
        if (!DisconnectControl.remoteDisconnectAllowed(state.controlMode)) {
            return false;
        }
        openRelay(SlotConsumptionModel.slotOf(now()) + 1, DisconnectControl.DISCONNECTED,
                MeterState.DisconnectReason.REMOTE);
        log(MeterEvent.REMOTE_DISCONNECT, now());
        save();
        return true;
    }

    /**
     * IC 70 method 2; false when the control mode forbids it or, for a direct reconnection, when there is no
     * credit outside a friendly period.
     */
    public synchronized boolean remoteReconnect() {
        advance();
        if (state.outputConnected) {
            return true;
        }
        int mode = state.controlMode;
        if (DisconnectControl.remoteReconnectConnectsDirectly(mode)) {
            if (!mayConnectNow()) {
                return false;
            }
            closeRelay();
            log(MeterEvent.REMOTE_RECONNECT, now());
        } else if (DisconnectControl.remoteReconnectArmsButton(mode)) {
            state.controlState = DisconnectControl.READY_FOR_RECONNECTION;
            log(MeterEvent.READY_FOR_RECONNECTION, now());
        } else {
            return false;
        }
        save();
        return true;
    }

    /**
     * The customer presses the meter's button: reconnects when ready for reconnection (invoking selectable
     * emergency credit if there is no credit), or disconnects manually where the mode allows it.
     */
    public synchronized void pressButton() {
        advance();
        int mode = state.controlMode;
        if (state.controlState == DisconnectControl.READY_FOR_RECONNECTION) {
            if (availableCreditMilli() <= 0 && state.emergencyStatus == CREDIT_SELECTABLE) {
                state.emergencyStatus = CREDIT_SELECTED;
                log(MeterEvent.EMERGENCY_CREDIT_INVOKED, now());
            }
            if (mayConnectNow()) {
                closeRelay();
                log(MeterEvent.MANUAL_RECONNECT, now());
            }
        } else if (state.controlState == DisconnectControl.CONNECTED
                && DisconnectControl.manualDisconnectAllowed(mode)) {
            openRelay(SlotConsumptionModel.slotOf(now()) + 1, DisconnectControl.READY_FOR_RECONNECTION,
                    MeterState.DisconnectReason.MANUAL);
            log(MeterEvent.MANUAL_DISCONNECT, now());
        }
        save();
    }

    // ---------------------------------------------------------------- tokens, clock, logs

    public synchronized byte[] lastToken() {
        return state.lastToken.clone();
    }

    public synchronized Instant lastTokenTime() {
        return state.tokenTimeMillis < 0 ? null : Instant.ofEpochMilli(state.tokenTimeMillis);
    }

    public synchronized TokenStatus lastTokenStatus() {
        processPendingToken();
        return TokenStatus.ofCode(state.tokenStatus);
    }

    public synchronized String lastTokenDescription() {
        processPendingToken();
        return state.tokenDescription;
    }

    public synchronized Set<String> usedTokenIds() {
        return Set.copyOf(state.usedTokenIds);
    }

    /** Sets the meter clock (clock object attribute 2) and logs the adjustment. */
    synchronized void setTime(Instant newTime) {
        advance();
        Instant old = now();
        state.clockOffsetMillis += newTime.toEpochMilli() - old.toEpochMilli();
        cachedSlots = -1; // a jump back may revisit slots whose relay state was cached
        log(MeterEvent.CLOCK_ADJUSTED_OLD_TIME, old);
        log(MeterEvent.CLOCK_ADJUSTED_NEW_TIME, newTime);
        save();
    }

    /** Records a power failure that lasted {@code duration} and ended now (power down and up events). */
    public synchronized void powerFailure(Duration duration) {
        advance();
        Instant up = now();
        log(MeterEvent.POWER_DOWN, up.minus(duration));
        log(MeterEvent.POWER_UP, up);
        state.addPowerFailure(up.getEpochSecond(), duration.getSeconds());
        save();
    }

    /** Standard event log entries {epochSecond, code}, oldest first. */
    public synchronized List<long[]> events() {
        advance();
        return copy(state.events);
    }

    /** Power failure log entries {epochSecond of power up, duration seconds}, oldest first. */
    public synchronized List<long[]> powerFailures() {
        return copy(state.powerFailures);
    }

    private static List<long[]> copy(List<long[]> list) {
        List<long[]> result = new ArrayList<>();
        for (long[] entry : list) {
            result.add(entry.clone());
        }
        return result;
    }

    // ---------------------------------------------------------------- security counters

    /** Last invocation counter received from the management client (0-0:43.1.0.255). */
    public synchronized long invocationCounter() {
        return state.invocationCounter;
    }

    /** Accepts a received invocation counter unless it replays one already seen (when enforcement is on). */
    synchronized boolean acceptInvocationCounter(long counter) {
        if (config.enforceInvocationCounter() && counter <= state.invocationCounter) {
            return false;
        }
        state.invocationCounter = Math.max(state.invocationCounter, counter);
        invocationCounterDirty = true;
        return true;
    }

    /** Writes pending changes (invocation counter) to the state file. */
    public synchronized void flush() {
        save();
    }

    /** Saves a last time; later changes (from associations still winding down) are no longer written. */
    synchronized void close() {
        save();
        closed = true;
    }

    private void save() {
        invocationCounterDirty = false;
        if (stateFile == null || closed) {
            return;
        }
        try {
            state.save(stateFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write meter state " + stateFile
                    + " (disk full or directory not writable?)", e);
        }
    }
}
