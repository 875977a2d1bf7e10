// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.Instant;
import java.util.List;

import org.openmuc.jdlms.datatypes.DataObject;

/** The load profile and the two logs of one meter as {@link ProfileSource}s. */
final class ProfileSources {
    static final String EVENT_CODE_OBIS = "0-0:96.11.0.255";
    static final String POWER_FAILURE_DURATION_OBIS = "0-0:96.7.19.255";
    private static final ProfileSource.CaptureColumn CLOCK = new ProfileSource.CaptureColumn(8, ClockObject.OBIS, 2);

    private final MeterFirmware meter;

    ProfileSources(MeterFirmware meter) {
        this.meter = meter;
    }

    int lastEventCode() {
        List<long[]> events = meter.events();
        return events.isEmpty() ? 0 : (int) events.get(events.size() - 1)[1];
    }

    long lastPowerFailureSeconds() {
        List<long[]> failures = meter.powerFailures();
        return failures.isEmpty() ? 0 : failures.get(failures.size() - 1)[1];
    }

    /** 1-0:99.1.0.255: clock, import and export every 15 minutes, for the configured history. */
    ProfileSource loadProfile() {
        return new ProfileSource() {
            @Override
            public List<CaptureColumn> columns() {
                return List.of(CLOCK, new CaptureColumn(3, "1-0:1.8.0.255", 2),
                        new CaptureColumn(3, "1-0:2.8.0.255", 2));
            }

            @Override
            public long capturePeriodSeconds() {
                return SlotConsumptionModel.SLOT_SECONDS;
            }

            @Override
            public long capacity() {
                return meter.profileCapacity();
            }

            @Override
            public Snapshot snapshot() {
                long[] window = meter.profileWindow();
                long first = window[0];
                long count = window[1];
                return new Snapshot() {
                    @Override
                    public long size() {
                        return count;
                    }

                    @Override
                    public long epochSecond(long index) {
                        return (first + index) * SlotConsumptionModel.SLOT_SECONDS;
                    }

                    @Override
                    public List<DataObject> row(long index) {
                        long[] capture = meter.captureAt(first + index);
                        Instant time = Instant.ofEpochSecond(capture[0]);
                        return List.of(CosemDateTimes.octetString(time, meter.config().zone()),
                                DataObject.newUInteger32Data(capture[1]), DataObject.newUInteger32Data(capture[2]));
                    }
                };
            }
        };
    }

    /** 0-0:99.98.0.255: clock and event code per event. */
    ProfileSource eventLog() {
        return new ListProfile(List.of(CLOCK, new ProfileSource.CaptureColumn(1, EVENT_CODE_OBIS, 2)),
                MeterState.EVENT_LOG_CAPACITY, false);
    }

    /** 0-0:99.98.1.255: clock (power up) and duration in seconds per power failure. */
    ProfileSource powerFailureLog() {
        return new ListProfile(List.of(CLOCK, new ProfileSource.CaptureColumn(1, POWER_FAILURE_DURATION_OBIS, 2)),
                MeterState.POWER_FAILURE_LOG_CAPACITY, true);
    }

    private final class ListProfile implements ProfileSource {
        private final List<CaptureColumn> columns;
        private final long capacity;
        private final boolean powerFailures;

        ListProfile(List<CaptureColumn> columns, long capacity, boolean powerFailures) {
            this.columns = columns;
            this.capacity = capacity;
            this.powerFailures = powerFailures;
        }

        @Override
        public List<CaptureColumn> columns() {
            return columns;
        }

        @Override
        public long capturePeriodSeconds() {
            return 0;
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public Snapshot snapshot() {
            List<long[]> entries = powerFailures ? meter.powerFailures() : meter.events();
            return new Snapshot() {
                @Override
                public long size() {
                    return entries.size();
                }

                @Override
                public long epochSecond(long index) {
                    return entries.get((int) index)[0];
                }

                @Override
                public List<DataObject> row(long index) {
                    long[] entry = entries.get((int) index);
                    DataObject value = powerFailures ? DataObject.newUInteger32Data(entry[1])
                            : DataObject.newUInteger16Data((int) entry[1]);
                    return List.of(CosemDateTimes.octetString(Instant.ofEpochSecond(entry[0]), meter.config().zone()),
                            value);
                }
            };
        }
    }
}
