// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.metergate.api.link.LinkService;
import org.metergate.api.link.PortInfo;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.Reading;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.state.MeterStateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Shell commands for the technician: {@code mg:meters}, {@code mg:read <meter>}, {@code mg:ports},
 * {@code mg:outbox} (depth) and {@code mg:outbox <n>} (the n messages that go out next).
 */
@Component(service = Object.class, property = {"osgi.command.scope=mg", "osgi.command.function=meters",
        "osgi.command.function=read", "osgi.command.function=ports", "osgi.command.function=outbox"})

public class MeteringCommands {

    private final MeteringService metering;
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile LinkService links;

    /** The DLMS meters' daily values; without the store the meters are listed without them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeterStateStore states;

    @Activate
    public MeteringCommands(@Reference MeteringService metering, @Reference Outbox outbox) {
        this.metering = metering;
        this.outbox = outbox;
    }

    /** Without OSGi (tests): the meter-state store given directly. */
    MeteringCommands(MeteringService metering, Outbox outbox, MeterStateStore states) {
        this(metering, outbox);
        this.states = states;
    }

    /**
     * Table of configured meters with their state and last error; under a prepaid or DLMS meter an indented line
     * says in words how far a load-profile catch-up in progress is, what its last read found (credit, relay) and
     * how much it used on its last complete day.
     */
    public String meters() {
        List<MeterStatus> all = metering.meters();
        if (all.isEmpty()) {
            return "No meters configured. Add a file conf/org.metergate.iec62056.meter-<id>.cfg (see conf/examples/).";
        }
        StringBuilder b = new StringBuilder(String.format("%-12s %-12s %-24s %-13s %-10s %s%n", "METER", "PROTOCOL",
                "LINK", "STATE", "LAST READ", "PROBLEM"));
        Instant now = clock.instant();
        for (MeterStatus s : all) {
            b.append(String.format("%-12s %-12s %-24s %-13s %-10s %s%n", s.meterId(), s.protocol(), s.link(),
                    s.state(), s.lastSuccess() == null ? "never" : ago(now, s.lastSuccess()),
                    s.lastError() == null ? "" : s.lastError()));
            String values = inWords(s);
            if (!values.isEmpty()) {
                // indented, so that the line never reads as another meter's row
                b.append(String.format("%-12s %s%n", "", values));
            }
        }
        return b.toString();
    }

    private String inWords(MeterStatus s) {
        List<String> parts = new ArrayList<>(3);
        if (s.catchUp() != null) {
            parts.add("catching up the load profile: " + s.catchUp().inWords());
        }
        metering.lastReadout(s.meterId()).map(PlainWords::prepaid).filter(p -> !p.isEmpty())
                .ifPresent(p -> parts.add(s.state() == MeterState.ONLINE ? p : "at the last read: " + p));
        MeterStateStore store = states;
        if (store != null) {
            try {
                String used = PlainWords.lastDailyConsumption(store.state(s.meterId()));
                if (!used.isEmpty()) {
                    parts.add(used);
                }
            } catch (OutboxException e) {
                parts.add("daily values unavailable: " + e.getMessage());
            }
        }
        return String.join(", ", parts);
    }

    /** Reads a meter now and prints its values, or says plainly why it could not be read. */
    public String read(String meterId) {
        try {
            MeterReadout readout = metering.readNow(meterId);
            StringBuilder b = new StringBuilder(meterId + " (" + readout.identification() + ") at "
                    + readout.readAt() + ":" + System.lineSeparator());
            for (Reading r : readout.readings()) {
                b.append("  ").append(r.display()).append(r.status() == org.metergate.api.meter.ReadingStatus.OK
                        ? "" : "  [" + r.status() + "]").append(System.lineSeparator());
            }
            return b.toString();
        } catch (MeterException e) {
            return "Could not read " + meterId + ": " + e.getMessage();
        }
    }

    /** Serial ports on this gateway, for connecting the optical probe. */
    public String ports() {
        LinkService l = links;
        if (l == null) {
            return "The serial link service is not running.";
        }
        List<PortInfo> ports = l.listPorts();
        if (ports.isEmpty()) {
            return "No serial ports found. Plug in the optical probe (USB) and run mg:ports again.";
        }
        StringBuilder b = new StringBuilder(String.format("%-24s %-6s %s%n", "PORT", "BUSY", "DESCRIPTION"));
        for (PortInfo p : ports) {
            b.append(String.format("%-24s %-6s %s%n", p.path(), p.busy() ? "yes" : "no", p.description()));
        }
        return b.toString();
    }

    /** Messages waiting for the head-end. */
    public String outbox() {
        OutboxStats s = outbox.stats();
        return "messages waiting: " + s.messages() + ", payload bytes: " + s.payloadBytes() + ", oldest: "
                + (s.oldestCreatedAt() == null ? "-" : ago(clock.instant(), s.oldestCreatedAt()) + " ago")
                + ", routine readings dropped when full: " + s.droppedRoutine()
                + (s.lastError() == null ? "" : System.lineSeparator() + "problem: " + s.lastError());
    }

    /** The {@code max} oldest messages waiting for the head-end: what would go out next, in order. */
    public String outbox(int max) {
        List<OutboxMessage> waiting;
        try {
            waiting = outbox.oldest(EnumSet.allOf(MessageKind.class), Math.max(1, Math.min(max, 1000)));
        } catch (OutboxException e) {
            return "Cannot read the outbox: " + e.getMessage();
        }
        if (waiting.isEmpty()) {
            return "Nothing is waiting for the head-end.";
        }
        StringBuilder b = new StringBuilder(String.format("%-8s %-8s %-12s %-9s %-24s %s%n", "SEQ", "KIND", "METER",
                "KEEP", "CREATED", "PAYLOAD"));
        for (OutboxMessage m : waiting) {
            String payload = m.payload().length() > 160 ? m.payload().substring(0, 157) + "..." : m.payload();
            b.append(String.format("%-8d %-8s %-12s %-9s %-24s %s%n", m.sequence(), m.kind(),
                    m.meterId() == null ? "-" : m.meterId(), m.retention(), m.createdAt(), payload));
        }
        return b.toString();
    }

    /** "5m ago"; a reading stamped by a meter whose clock runs ahead of the gateway's is "5m ahead". */
    static String ago(Instant now, Instant then) {
        Duration d = Duration.between(then, now);
        String suffix = d.isNegative() ? " ahead" : " ago";
        d = d.abs();
        if (d.toSeconds() < 120) {
            return d.toSeconds() + "s" + suffix;
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "m" + suffix;
        }
        return d.toHours() + "h" + suffix;
    }
}
