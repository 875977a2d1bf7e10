// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.MeterEvent;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.ProfileCatchUp;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;

/**
 * The DLMS/COSEM part of a poll, after the registers: clock check, load-profile catch-up and daily values of one
 * meter. Every capture queued and the cursor saying "queued up to here" are committed in one transaction of the
 * {@link MeterStateStore}, so a crash or restart resumes exactly after the last queued capture.
 */
final class CosemReads {

    static final CosemAttribute PROFILE_BUFFER = CosemAttribute.of(7, "1-0:99.1.0.255", 2);
    static final CosemAttribute PROFILE_COLUMNS = CosemAttribute.of(7, "1-0:99.1.0.255", 3);
    /** Seconds between captures; 0 for a profile captured on events rather than by time. */
    static final CosemAttribute PROFILE_PERIOD = CosemAttribute.of(7, "1-0:99.1.0.255", 4);
    static final ObisCode IMPORT = ObisCode.parse("1-0:1.8.0.255");

    // keys in the meter_state table
    static final String CURSOR = "profile.cursor";
    static final String DAILY_DAY = "daily.day";
    static final String DAILY_IMPORT = "daily.import";
    static final String CLOCK_DRIFT = "clock.drift";
    /** The consumption of the day before {@link #DAILY_DAY} as "value unit" (physical value), empty when unknown. */
    static final String DAILY_CONSUMPTION = "daily.consumption";

    /** Told about every daily value once it is stored (for the log). */
    interface DailyListener {
        void daily(String meterId, LocalDate day, List<Reading> atMidnight, Reading consumption);
    }

    /** Told when a catch-up starts, after each chunk it queues, and with null when it ends (however it ends). */
    interface ProgressListener {
        void catchUpProgress(String meterId, ProfileCatchUp progress);
    }

    private record Daily(LocalDate day, List<Reading> atMidnight, Reading consumption) {
    }

    /** A capture object of the profile (IC 7 attribute 3). */
    record Column(int classId, ObisCode obis, int attributeId) {
        boolean isClock() {
            return classId == 8 && attributeId == 2;
        }
    }

    /** What the clock check found; {@code meterTime} is empty when the meter would not give its clock. */
    record ClockCheck(Optional<Instant> meterTime, Duration drift, boolean uncertain) {
    }

    private final String meterId;
    private final MeterStateStore store;
    private final CosemPolicy policy;
    private final Clock gatewayClock;
    private final DailyListener dailyListener;
    private final ProgressListener progressListener;
    private Map<String, String> state;
    private List<Column> columns;
    /** The profile's capture period, read once; zero when the meter does not give a usable one. */
    private Duration capturePeriod;
    private volatile ProfileCatchUp progress;
    private final Map<ObisCode, Integer> scalers = new HashMap<>();
    private String problem;

    CosemReads(String meterId, MeterStateStore store, CosemPolicy policy, Clock gatewayClock,
            DailyListener dailyListener, ProgressListener progressListener) {
        this.meterId = meterId;
        this.store = store;
        this.policy = policy;
        this.gatewayClock = gatewayClock;
        this.dailyListener = dailyListener;
        this.progressListener = progressListener;
    }

    /** The load-profile catch-up in progress, null when none runs. */
    ProfileCatchUp progress() {
        return progress;
    }

    /** What the store holds for this meter (cursor, daily values, clock state). */
    Map<String, String> storedState() throws OutboxException {
        return Map.copyOf(state());
    }

    /** The last problem with clock, profile or storage, for the meter's status; null when all went well. */
    synchronized String problem() {
        return problem;
    }

    private Map<String, String> state() throws OutboxException {
        if (state == null) {
            state = new HashMap<>(store.state(meterId));
        }
        return state;
    }

    // ---------------------------------------------------------------- clock

    /**
     * Compares the meter clock with the gateway clock. Crossing the threshold queues one clock-drift alarm
     * (remembered in the store, so a restart does not repeat it); falling back below re-arms it.
     */
    ClockCheck checkClock(CosemSession session) throws MeterException {
        note(null); // each poll reports its own problems
        Instant meterTime;
        try {
            Optional<OffsetDateTime> decoded = CosemDateTime.decode(session.get(SelectiveAccess.CLOCK_TIME));
            if (decoded.isEmpty()) {
                note("meter clock is not set (unspecified date-time); load profile not read");
                return new ClockCheck(Optional.empty(), Duration.ZERO, true);
            }
            meterTime = decoded.get().toInstant();
        } catch (CosemAccessException e) {
            note("meter refused its clock (" + e.getMessage() + "); clock check and load profile skipped");
            return new ClockCheck(Optional.empty(), Duration.ZERO, false);
        }
        Instant gatewayTime = gatewayClock.instant();
        Duration drift = Duration.between(gatewayTime, meterTime);
        boolean uncertain = drift.abs().compareTo(policy.clockDriftThreshold()) > 0;
        try {
            boolean reported = "high".equals(state().get(CLOCK_DRIFT));
            if (uncertain && !reported) {
                String detail = "meter clock is " + describe(drift) + " the gateway clock (meter " + meterTime
                        + ", gateway " + gatewayTime.truncatedTo(ChronoUnit.MILLIS) + "); threshold "
                        + policy.clockDriftThreshold().toSeconds() + " s. Readings are marked clock-uncertain until"
                        + " the meter clock is set.";
                String event = UplinkMessages.event(new MeterEvent(meterId, MeterEvent.Type.CLOCK_DRIFT, gatewayTime,
                        detail), drift);
                commit(List.of(new PendingMessage(MessageKind.EVENT, Retention.ALARM, event)),
                        Map.of(CLOCK_DRIFT, "high"));
            } else if (!uncertain && reported) {
                commit(List.of(), Map.of(CLOCK_DRIFT, "ok"));
            }
        } catch (OutboxException e) {
            note("clock-drift state not stored, will try again: " + e.getMessage());
        }
        return new ClockCheck(Optional.of(meterTime), drift, uncertain);
    }

    private static String describe(Duration drift) {
        long ms = drift.abs().toMillis();
        String amount = ms % 1000 == 0 ? ms / 1000 + " s" : BigDecimal.valueOf(ms, 3).toPlainString() + " s";
        return amount + (drift.isNegative() ? " behind" : " ahead of");
    }

    /** Readings of a session whose clock is uncertain carry {@link ReadingStatus#CLOCK_UNCERTAIN}. */
    static MeterReadout flagged(MeterReadout readout, ClockCheck clock) {
        if (!clock.uncertain()) {
            return readout;
        }
        List<Reading> readings = new ArrayList<>(readout.readings().size());
        for (Reading r : readout.readings()) {
            readings.add(new Reading(r.meterId(), r.obis(), r.value(), r.text(), r.scaler(), r.unit(), r.timestamp(),
                    ReadingStatus.CLOCK_UNCERTAIN));
        }
        return new MeterReadout(readout.meterId(), readout.identification(), readout.readAt(), readings);
    }

    // ---------------------------------------------------------------- load profile and daily values

    /**
     * Reads the load profile from the last queued capture (exclusive) to the registers' read time in chunks,
     * queueing each chunk's captures as billing readings together with the new cursor and the daily values of any
     * midnight in it.
     * Stops at the first storage refusal (the meter keeps the data; the next poll continues).
     */
    void catchUp(CosemSession session, ClockCheck clock, MeterReadout registers, BooleanSupplier stopped)
            throws MeterException {
        if (clock.meterTime().isEmpty()) {
            return;
        }
        // no capture later than the registers just read: they are queued after the captures
        Instant meterNow = earliest(clock.meterTime().get(), registers.readAt()).truncatedTo(ChronoUnit.SECONDS);
        try {
            List<Column> cols = columns(session);
            if (cols == null) {
                return;
            }
            String storedCursor = state().get(CURSOR);
            Instant cursor = instant(storedCursor);
            if (storedCursor != null && cursor == null) {
                note("stored load-profile cursor '" + storedCursor + "' is not a time; reading the last "
                        + policy.maxCatchUp().toDays() + " days again (the head-end drops repeated reading ids)");
            }
            Instant from = cursor != null ? cursor.plusSeconds(1)
                    : meterNow.minus(policy.maxCatchUp()).truncatedTo(ChronoUnit.SECONDS);
            if (from.isAfter(meterNow)) {
                return;
            }
            Duration period = capturePeriod(session);
            // the period shown: from the last queued capture, or from the first second read back
            Instant shownFrom = cursor != null ? cursor : from;
            int fetched = 0;
            publish(new ProfileCatchUp(shownFrom, meterNow, shownFrom, 0,
                    expectedCaptures(period, from.minusSeconds(1), meterNow), gatewayClock.instant()));
            ReadingStatus status = clock.uncertain() ? ReadingStatus.CLOCK_UNCERTAIN : ReadingStatus.OK;
            while (!from.isAfter(meterNow) && !stopped.getAsBoolean()) {
                Instant to = earliest(from.plus(policy.chunk()).minusSeconds(1), meterNow);
                CosemData buffer = session.get(PROFILE_BUFFER, SelectiveAccess.byClock(from, to));
                TreeMap<Instant, List<CosemData>> captures = captures(buffer, cols, cursor, from, to);
                if (!captures.isEmpty()) {
                    storeChunk(session, cols, captures, registers, status);
                    cursor = captures.lastKey();
                    fetched += captures.size();
                }
                int rest = expectedCaptures(period, to, meterNow);
                ProfileCatchUp before = progress;
                publish(new ProfileCatchUp(before.from(), before.to(), to, fetched,
                        period.isZero() ? 0 : fetched + rest, before.startedAt()));
                from = to.plusSeconds(1);
            }
        } catch (CosemAccessException e) {
            note("load profile " + PROFILE_BUFFER.obis() + " could not be read: " + e.getMessage());
        } catch (OutboxException e) {
            note("load-profile captures not stored, the next poll continues from the last stored one: "
                    + e.getMessage());
        } finally {
            if (progress != null) {
                publish(null);
            }
        }
    }

    private void publish(ProfileCatchUp now) {
        progress = now;
        progressListener.catchUpProgress(meterId, now);
    }

    /**
     * Captures a profile of this period takes after {@code after} up to and including {@code upTo}, at whole
     * multiples of the period (how meters capture: 00:00, 00:15, ...); 0 when the period is unknown.
     */
    static int expectedCaptures(Duration period, Instant after, Instant upTo) {
        long seconds = period.toSeconds();
        if (seconds <= 0 || !upTo.isAfter(after)) {
            return 0;
        }
        long count = Math.floorDiv(upTo.getEpochSecond(), seconds) - Math.floorDiv(after.getEpochSecond(), seconds);
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** The capture period (attribute 4), read once per meter; zero when refused or not a number. */
    private Duration capturePeriod(CosemSession session) throws MeterException {
        if (capturePeriod == null) {
            try {
                capturePeriod = Duration.ofSeconds(Math.max(0, session.get(PROFILE_PERIOD).asLong()));
            } catch (CosemAccessException | IllegalStateException e) {
                capturePeriod = Duration.ZERO; // progress then counts captures and time without a total
            }
        }
        return capturePeriod;
    }

    private void storeChunk(CosemSession session, List<Column> cols, TreeMap<Instant, List<CosemData>> captures,
            MeterReadout registers, ReadingStatus status) throws MeterException, OutboxException {
        List<Reading> readings = new ArrayList<>(captures.size() * cols.size());
        List<PendingMessage> daily = new ArrayList<>();
        List<Daily> dailyValues = new ArrayList<>();
        Map<String, String> update = new HashMap<>();
        LocalDate lastDay = day(state().get(DAILY_DAY));
        String lastImport = state().get(DAILY_IMPORT);
        for (Map.Entry<Instant, List<CosemData>> capture : captures.entrySet()) {
            Instant at = capture.getKey();
            List<Reading> values = new ArrayList<>(cols.size());
            for (int i = 0; i < cols.size(); i++) {
                Column column = cols.get(i);
                BigDecimal value = number(capture.getValue().get(i));
                if (column.isClock() || value == null) {
                    continue;
                }
                values.add(Reading.numeric(meterId, column.obis(), value, scaler(session, column, registers),
                        unitOf(column.obis(), registers), at, status));
            }
            readings.addAll(values);
            ZonedDateTime local = at.atZone(policy.dailyZone());
            LocalDate date = local.toLocalDate();
            if (local.toLocalTime().equals(LocalTime.MIDNIGHT) && (lastDay == null || date.isAfter(lastDay))) {
                Reading importNow = values.stream().filter(r -> r.obis().equals(IMPORT)).findFirst().orElse(null);
                Reading consumption = null;
                if (importNow != null && lastImport != null && date.minusDays(1).equals(lastDay)) {
                    consumption = Reading.numeric(meterId, IMPORT, importNow.value().subtract(new BigDecimal(lastImport)),
                            importNow.scaler(), importNow.unit(), at, status);
                }
                daily.add(new PendingMessage(MessageKind.READING, Retention.BILLING,
                        UplinkMessages.daily(meterId, date, policy.dailyZone(), values, consumption)));
                dailyValues.add(new Daily(date, values, consumption));
                update.put(DAILY_CONSUMPTION, consumption == null ? ""
                        : consumption.scaledValue().toPlainString() + " " + consumption.unit());
                lastDay = date;
                lastImport = importNow == null ? null : importNow.value().toPlainString();
                update.put(DAILY_DAY, date.toString());
                if (lastImport != null) {
                    update.put(DAILY_IMPORT, lastImport);
                }
            }
        }
        List<PendingMessage> messages = new ArrayList<>(1 + daily.size());
        messages.add(new PendingMessage(MessageKind.READING, Retention.BILLING, UplinkMessages.readings(readings)));
        messages.addAll(daily);
        update.put(CURSOR, captures.lastKey().toString());
        commit(messages, update);
        for (Daily d : dailyValues) {
            dailyListener.daily(meterId, d.day(), d.atMidnight(), d.consumption());
        }
    }

    private void commit(List<PendingMessage> messages, Map<String, String> update) throws OutboxException {
        store.appendWithState(meterId, messages, update);
        state().putAll(update);
    }

    /** The capture objects, read once per meter; null (and a note) when the meter has no usable load profile. */
    private List<Column> columns(CosemSession session) throws MeterException {
        if (columns != null) {
            return columns;
        }
        CosemData data = session.get(PROFILE_COLUMNS);
        List<Column> read = new ArrayList<>();
        if (data instanceof CosemData.ArrayData array) {
            for (CosemData element : array.elements()) {
                if (element instanceof CosemData.Structure s && s.elements().size() >= 3
                        && s.get(1) instanceof CosemData.OctetString name && name.value().length == 6) {
                    byte[] b = name.value();
                    read.add(new Column((int) s.get(0).asLong(), ObisCode.of(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF,
                            b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF), (int) s.get(2).asLong()));
                } else {
                    read = null;
                    break;
                }
            }
        }
        if (read == null || read.stream().noneMatch(Column::isClock)) {
            note("load profile " + PROFILE_BUFFER.obis() + " has no clock column (capture objects: " + data
                    + "); it cannot be read by time");
            return null;
        }
        columns = List.copyOf(read);
        return columns;
    }

    /** Captures in (cursor, to] and [from, to], by time; rows without a valid time are skipped. */
    private static TreeMap<Instant, List<CosemData>> captures(CosemData buffer, List<Column> cols, Instant cursor,
            Instant from, Instant to) {
        TreeMap<Instant, List<CosemData>> byTime = new TreeMap<>();
        if (!(buffer instanceof CosemData.ArrayData rows)) {
            return byTime;
        }
        int clockIndex = 0;
        while (!cols.get(clockIndex).isClock()) {
            clockIndex++;
        }
        for (CosemData row : rows.elements()) {
            if (!(row instanceof CosemData.Structure s) || s.elements().size() != cols.size()) {
                continue;
            }
            Optional<OffsetDateTime> time = CosemDateTime.decode(s.get(clockIndex));
            if (time.isEmpty()) {
                continue;
            }
            Instant at = time.get().toInstant();
            if ((cursor == null || at.isAfter(cursor)) && !at.isBefore(from) && !at.isAfter(to)) {
                byTime.putIfAbsent(at, s.elements());
            }
        }
        return byTime;
    }

    /** Scaler of a captured register: as the register readout had it, else its scaler_unit attribute, else 0. */
    private int scaler(CosemSession session, Column column, MeterReadout registers) throws MeterException {
        Integer known = scalers.get(column.obis());
        if (known != null) {
            return known;
        }
        Integer found = registers.readings().stream().filter(r -> r.obis().equals(column.obis()) && r.isNumeric())
                .map(Reading::scaler).findFirst().orElse(null);
        if (found == null && (column.classId() == 3 || column.classId() == 4)) {
            try {
                CosemData su = session.get(new CosemAttribute(column.classId(), column.obis(), 3));
                if (su instanceof CosemData.Structure s && !s.elements().isEmpty()) {
                    found = (int) s.get(0).asLong();
                }
            } catch (CosemAccessException | IllegalStateException e) {
                found = null; // no usable scaler_unit: the raw value with scaler 0 is what the meter gave
            }
        }
        int scaler = found == null ? 0 : found;
        scalers.put(column.obis(), scaler);
        return scaler;
    }

    private static String unitOf(ObisCode obis, MeterReadout registers) {
        return registers.readings().stream().filter(r -> r.obis().equals(obis)).map(Reading::unit).findFirst()
                .orElse("");
    }

    private static BigDecimal number(CosemData value) {
        if (value instanceof CosemData.IntegerData i) {
            return new BigDecimal(i.bigValue());
        }
        if (value instanceof CosemData.EnumData e) {
            return BigDecimal.valueOf(e.value());
        }
        if (value instanceof CosemData.FloatData f && Double.isFinite(f.value())) {
            return BigDecimal.valueOf(f.value());
        }
        return null;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalDate day(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private synchronized void note(String text) {
        problem = text;
    }
}
