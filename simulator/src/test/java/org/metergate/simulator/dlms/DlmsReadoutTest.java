// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.dlms.DlmsClients.attribute;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;

/** Registers, clock and profiles read with the jDLMS client over the TCP wrapper. */
@Timeout(30)
class DlmsReadoutTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:07:00Z");
    private static DlmsSimulator simulator;
    private static DlmsMeter meter;

    @BeforeAll
    static void start() throws Exception {
        simulator = DlmsSimulator.builder().count(2).seed(42).clock(SimClock.frozenAt(NOW)).start();
        meter = simulator.meters().get(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void meters_have_their_own_ports_serials_and_system_titles() {
        DlmsMeter other = simulator.meters().get(1);
        assertThat(other.wrapperPort()).isNotEqualTo(meter.wrapperPort());
        assertThat(other.config().serial()).isEqualTo("10000002");
        assertThat(meter.config().systemTitleHex()).isEqualTo("4D475300009896 81".replace(" ", ""));
        assertThat(other.config().encryptionKey()).isNotEqualTo(meter.config().encryptionKey());
    }

    @Test
    void energy_registers_carry_value_scaler_and_unit() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            List<GetResult> results = connection.get(List.of(attribute(3, "1-0:1.8.0.255", 2),
                    attribute(3, "1-0:1.8.0.255", 3), attribute(3, "1-0:1.8.1.255", 2),
                    attribute(3, "1-0:1.8.2.255", 2), attribute(3, "1-0:2.8.0.255", 3)));
            assertThat(results).allSatisfy(r -> assertThat(r.getResultCode()).isEqualTo(AccessResultCode.SUCCESS));
            long total = number(results.get(0).getResultData());
            assertThat(total).isEqualTo(meter.firmware().importWh()).isGreaterThan(1_000_000);
            assertThat(scalerUnit(results.get(1))).containsExactly(0L, (long) RegisterObject.UNIT_WATT_HOUR);
            assertThat(number(results.get(2).getResultData()) + number(results.get(3).getResultData()))
                    .isEqualTo(total);
            assertThat(scalerUnit(results.get(4))).containsExactly(0L, (long) RegisterObject.UNIT_WATT_HOUR);
        }
    }

    @Test
    void instantaneous_values_carry_scaler_and_unit() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            List<GetResult> results = connection.get(List.of(attribute(3, "1-0:32.7.0.255", 2),
                    attribute(3, "1-0:32.7.0.255", 3), attribute(3, "1-0:31.7.0.255", 3),
                    attribute(3, "1-0:1.7.0.255", 2), attribute(3, "1-0:1.7.0.255", 3),
                    attribute(3, "1-0:14.7.0.255", 2), attribute(3, "1-0:14.7.0.255", 3)));
            assertThat(number(results.get(0).getResultData())).isBetween(2250L, 2350L);
            assertThat(scalerUnit(results.get(1))).containsExactly(-1L, (long) RegisterObject.UNIT_VOLT);
            assertThat(scalerUnit(results.get(2))).containsExactly(-2L, (long) RegisterObject.UNIT_AMPERE);
            assertThat(number(results.get(3).getResultData())).isEqualTo(meter.firmware().powerWatts())
                    .isPositive();
            assertThat(scalerUnit(results.get(4))).containsExactly(0L, (long) RegisterObject.UNIT_WATT);
            assertThat(number(results.get(5).getResultData())).isBetween(4990L, 5010L);
            assertThat(scalerUnit(results.get(6))).containsExactly(-2L, (long) RegisterObject.UNIT_HERTZ);
        }
    }

    @Test
    void clock_is_a_proper_ic8_with_time_zone_and_status() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            List<GetResult> results = connection.get(List.of(attribute(8, "0-0:1.0.0.255", 2),
                    attribute(8, "0-0:1.0.0.255", 3), attribute(8, "0-0:1.0.0.255", 4)));
            byte[] time = results.get(0).getResultData().getValue();
            assertThat(CosemDateTimes.decode(time, ZoneOffset.UTC)).isEqualTo(NOW);
            assertThat(number(results.get(1).getResultData())).isZero();
            assertThat(number(results.get(2).getResultData())).isZero();
        }
    }

    @Test
    void load_profile_range_read_returns_exactly_the_captures_in_range() throws Exception {
        Instant from = Instant.parse("2026-03-02T08:00:00Z");
        Instant to = Instant.parse("2026-03-02T09:00:00Z");
        DataObject range = DataObject.newStructureData(
                DataObject.newStructureData(DataObject.newUInteger16Data(8),
                        DataObject.newOctetStringData(Obis.code("0-0:1.0.0.255").bytes()),
                        DataObject.newInteger8Data((byte) 2), DataObject.newUInteger16Data(0)),
                CosemDateTimes.octetString(from, ZoneOffset.UTC), CosemDateTimes.octetString(to, ZoneOffset.UTC),
                DataObject.newArrayData(List.of()));
        List<DataObject> rows = readProfile(new SelectiveAccessDescription(1, range));

        List<Instant> times = new ArrayList<>();
        for (DataObject row : rows) {
            List<DataObject> columns = row.getValue();
            assertThat(columns).hasSize(3);
            Instant time = CosemDateTimes.decode(columns.get(0), ZoneOffset.UTC);
            times.add(time);
            long[] expected = meter.firmware().captureAt(SlotConsumptionModel.slotOf(time));
            assertThat(number(columns.get(1))).isEqualTo(expected[1]);
            assertThat(number(columns.get(2))).isEqualTo(expected[2]);
        }
        assertThat(times).containsExactly(from, from.plusSeconds(900), from.plusSeconds(1800),
                from.plusSeconds(2700), to);
        assertThat(number(fields(rows.get(4)).get(1))).isGreaterThan(number(fields(rows.get(0)).get(1)));
    }

    @Test
    void load_profile_entry_read_selects_entries_and_columns() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            long inUse = number(connection.get(attribute(7, "1-0:99.1.0.255", 7)).getResultData());
            long capacity = number(connection.get(attribute(7, "1-0:99.1.0.255", 8)).getResultData());
            assertThat(inUse).isEqualTo(capacity).isEqualTo(92 * 96);
            assertThat(number(connection.get(attribute(7, "1-0:99.1.0.255", 4)).getResultData())).isEqualTo(900);
            List<DataObject> captureObjects = connection.get(attribute(7, "1-0:99.1.0.255", 3)).getResultData()
                    .getValue();
            assertThat(captureObjects).hasSize(3);
        }
        // the two newest entries, import column only; to = 0 means "up to the newest"
        long inUse = 92 * 96;
        List<DataObject> newest = readProfile(new SelectiveAccessDescription(2, entries(inUse - 1, 0, 2, 2)));
        assertThat(newest).hasSize(2);
        long lastSlot = SlotConsumptionModel.slotOf(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(fields(newest.get(1))).hasSize(1);
        assertThat(number(fields(newest.get(1)).get(0))).isEqualTo(meter.firmware().captureAt(lastSlot)[1]);
        assertThat(number(fields(newest.get(0)).get(0)))
                .isEqualTo(meter.firmware().captureAt(lastSlot - 1)[1]);

        List<DataObject> oldest = readProfile(new SelectiveAccessDescription(2, entries(1, 3, 1, 0)));
        assertThat(oldest).hasSize(3);
        Instant firstTime = CosemDateTimes.decode(fields(oldest.get(0)).get(0), ZoneOffset.UTC);
        assertThat(firstTime).isEqualTo(Instant.parse("2026-03-02T10:00:00Z").minusSeconds(900 * (inUse - 1)));
    }

    @Test
    void event_log_lists_events_with_clock_and_code() throws Exception {
        meter.firmware().powerFailure(Duration.ofMinutes(3));
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            List<DataObject> events = connection.get(attribute(7, "0-0:99.98.0.255", 2)).getResultData().getValue();
            List<Long> codes = new ArrayList<>();
            for (DataObject event : events) {
                codes.add(number(fields(event).get(1)));
            }
            assertThat(codes).containsSubsequence((long) MeterEvent.POWER_DOWN.code(),
                    (long) MeterEvent.POWER_UP.code());
            List<DataObject> failures = connection.get(attribute(7, "0-0:99.98.1.255", 2)).getResultData()
                    .getValue();
            assertThat(failures).isNotEmpty();
            assertThat(number(fields(failures.get(failures.size() - 1)).get(1))).isEqualTo(180);
        }
    }

    private static DataObject entries(long from, long to, int fromColumn, int toColumn) {
        return DataObject.newStructureData(DataObject.newUInteger32Data(from), DataObject.newUInteger32Data(to),
                DataObject.newUInteger16Data(fromColumn), DataObject.newUInteger16Data(toColumn));
    }

    private static List<DataObject> readProfile(SelectiveAccessDescription access) throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            GetResult result = connection.get(new AttributeAddress(7, Obis.code("1-0:99.1.0.255"), 2, access));
            assertThat(result.getResultCode()).isEqualTo(AccessResultCode.SUCCESS);
            return result.getResultData().getValue();
        }
    }

    static List<DataObject> fields(DataObject data) {
        return data.getValue();
    }

    static long number(DataObject data) {
        return ((Number) data.getValue()).longValue();
    }

    static long[] scalerUnit(GetResult result) {
        List<DataObject> structure = result.getResultData().getValue();
        return new long[] { number(structure.get(0)), number(structure.get(1)) };
    }
}
