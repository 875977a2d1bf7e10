// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.meter.PollPolicy;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jrxtx.PortNotFoundException;
import org.osgi.service.component.annotations.Component;

/**
 * Discovery for DLMS/COSEM: an association of the public client (16, no security) with logical device 1, reading the
 * logical device name, the serial number and the management client's invocation counter. On TCP it tries the DLMS
 * wrapper, then HDLC (a serial server forwarding the meter's line); on a serial port HDLC at 9600 baud.
 */
@Component(service = MeterProbe.class)
public class DlmsProbe implements MeterProbe {

    static final int SERIAL_BAUD = 9600;
    static final int SERIAL_ATTEMPTS = 2;
    private static final byte[] CLIENT_TITLE = HexFormat.of().parseHex("4D47570000000001");
    private static final ObisCode LOGICAL_DEVICE_NAME = new ObisCode(0, 0, 42, 0, 0, 255);
    private static final ObisCode SERIAL_NUMBER = new ObisCode(0, 0, 96, 1, 0, 255);
    private static final ObisCode INVOCATION_COUNTER = new ObisCode(0, 0, 43, 1, 0, 255);
    private static final PollPolicy UNUSED_POLICY =
            new PollPolicy(Duration.ofMinutes(15), 0, Duration.ZERO, Duration.ZERO);

    /** What the public client learned from one meter. */
    record Answer(boolean hdlc, String logicalDeviceName, String serialNumber, Long invocationCounter,
            byte[] systemTitle) {
    }

    @Override
    public String protocol() {
        return "DLMS/COSEM";
    }

    @Override
    public Optional<MeterProposal> probe(LinkAddress link, Duration answerTimeout) throws IOException {
        List<Boolean> framings = new ArrayList<>();
        if (link.kind() == LinkAddress.Kind.TCP) {
            reachable(link, answerTimeout);
            framings.add(Boolean.FALSE);
            framings.add(Boolean.TRUE);
        } else {
            for (int i = 0; i < SERIAL_ATTEMPTS; i++) {
                framings.add(Boolean.TRUE);
            }
        }
        for (boolean hdlc : framings) {
            Optional<Answer> answer = ask(link, hdlc, answerTimeout);
            if (answer.isPresent()) {
                return Optional.of(proposal(link, answer.get()));
            }
        }
        return Optional.empty();
    }

    private static void reachable(LinkAddress link, Duration timeout) throws LinkUnavailableException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(link.host(), link.port()), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new LinkUnavailableException("serial server " + link.host() + ":" + link.port()
                    + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static Optional<Answer> ask(LinkAddress link, boolean hdlc, Duration timeout) throws IOException {
        DlmsSettings settings = new DlmsSettings("probe", link, hdlc, SERIAL_BAUD, 1, 0, DlmsSettings.PUBLIC_CLIENT,
                DlmsSettings.Authentication.NONE, CLIENT_TITLE, null, null, timeout, UNUSED_POLICY, List.of(),
                List.of(), 2030);
        TrafficObserver observer = TrafficObserver.unciphered();
        DlmsConnection connection;
        try {
            connection = ConnectionFactory.connect(settings,
                    new ConnectionFactory.Association(DlmsSettings.PUBLIC_CLIENT, null, 0, observer));
        } catch (IOException | RuntimeException e) {
            if (portMissing(e)) {
                throw new LinkUnavailableException("serial port " + link + " cannot be opened: " + e.getMessage(), e);
            }
            return Optional.empty(); // no association in this framing: silence, or another protocol
        }
        try {
            return Optional.of(new Answer(hdlc, text(connection, LOGICAL_DEVICE_NAME), text(connection, SERIAL_NUMBER),
                    number(connection, INVOCATION_COUNTER), observer.serverSystemTitle()));
        } finally {
            try {
                connection.disconnect();
            } catch (IOException | RuntimeException e) {
                try {
                    connection.close();
                } catch (IOException | RuntimeException ignored) {
                    // the meter has gone; nothing is left open on our side
                }
            }
        }
    }

    private static boolean portMissing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PortNotFoundException || t instanceof LinkUnavailableException) {
                return true;
            }
        }
        return false;
    }

    private static DataObject get(DlmsConnection connection, ObisCode obis) throws IOException {
        GetResult result = connection.get(new AttributeAddress(1, obis, 2));
        return result.getResultCode() == AccessResultCode.SUCCESS ? result.getResultData() : null;
    }

    /** An octet or visible string as text; null when the meter does not offer the object to the public client. */
    private static String text(DlmsConnection connection, ObisCode obis) throws IOException {
        DataObject data = get(connection, obis);
        if (data == null) {
            return null;
        }
        Object value = data.getValue();
        if (value instanceof byte[] bytes) {
            return printable(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return value instanceof String s ? printable(s) : null;
    }

    private static Long number(DlmsConnection connection, ObisCode obis) throws IOException {
        DataObject data = get(connection, obis);
        return data != null && data.isNumber() ? ((Number) data.getValue()).longValue() : null;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7E]", "").strip();
        return t.isEmpty() ? null : t;
    }

    static MeterProposal proposal(LinkAddress link, Answer answer) {
        String name = answer.logicalDeviceName() != null ? answer.logicalDeviceName() : answer.serialNumber();
        String meterId = MeterProposal.meterIdFrom(name, "dlms-meter");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("meterId", meterId);
        settings.put("link", link.toString());
        if (link.kind() == LinkAddress.Kind.TCP) {
            settings.put("tcpFraming", answer.hdlc() ? "HDLC" : "WRAPPER");
        } else {
            settings.put("baudRate", SERIAL_BAUD);
        }
        settings.put("logicalDevice", 1);
        settings.put("clientId", 1);
        settings.put("authentication", "HLS5_GMAC");
        String title = answer.systemTitle() == null ? null : HexFormat.of().withUpperCase().formatHex(answer.systemTitle());
        if (title != null) {
            settings.put("expectedSystemTitle", title);
        }
        List<String> facts = new ArrayList<>();
        facts.add((answer.hdlc() ? "HDLC" : "DLMS wrapper") + (link.kind() == LinkAddress.Kind.SERIAL
                ? " at " + SERIAL_BAUD + " baud" : "") + ", logical device 1");
        if (answer.logicalDeviceName() != null) {
            facts.add("logical device name " + answer.logicalDeviceName());
        }
        if (answer.serialNumber() != null) {
            facts.add("serial number " + answer.serialNumber());
        }
        if (title != null) {
            facts.add("system title " + title);
        }
        if (answer.invocationCounter() != null) {
            facts.add("invocation counter " + answer.invocationCounter());
        }
        String details = String.join(", ", facts) + ". The management client needs the meter's keys: mg:dlms-key "
                + meterId + " authentication <hex>, mg:dlms-key " + meterId + " encryption <hex>";
        String identification = name == null ? "" : name;
        return new MeterProposal("DLMS/COSEM", link, identification, details, DlmsMeter.FACTORY_PID, settings);
    }
}
