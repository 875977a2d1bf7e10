// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What a simulated meter keeps in non-volatile memory. Saved as a properties file, written to a temporary file,
 * forced to disk and moved over the old one, so a crash leaves either the old or the new state, never half.
 * Energy registers are not stored: they follow from the consumption model, the origin and the disconnections.
 */
final class MeterState {
    static final int EVENT_LOG_CAPACITY = 200;
    static final int POWER_FAILURE_LOG_CAPACITY = 100;
    private static final int FORMAT_VERSION = 1;

    long originSlot;
    long accountedSlot;
    long creditMilli;
    long lowCreditThresholdMinor;
    int emergencyStatus;
    long emergencyRemainingMilli;
    boolean lowCreditAlarmRaised;
    boolean outOfCreditAlarmRaised;
    boolean outputConnected = true;
    int controlState = DisconnectControl.CONNECTED;
    int controlMode;
    DisconnectReason disconnectReason = DisconnectReason.NONE;
    /** Slot ranges [from, to) without consumption; an open range has to = Long.MAX_VALUE. */
    final List<long[]> disconnections = new ArrayList<>();
    final Set<String> usedTokenIds = new LinkedHashSet<>();
    byte[] lastToken = new byte[0];
    long tokenTimeMillis = -1;
    int tokenStatus = TokenStatus.FORMAT_OK.code();
    String tokenDescription = "";
    long invocationCounter;
    long clockOffsetMillis;
    long lastSimTimeMillis;
    /** Standard event log: {epochSecond, eventCode}, oldest first. */
    final List<long[]> events = new ArrayList<>();
    /** Power failure log: {epochSecond of power up, duration in seconds}, oldest first. */
    final List<long[]> powerFailures = new ArrayList<>();

    enum DisconnectReason {
        NONE, REMOTE, CREDIT, MANUAL
    }

    void addEvent(long epochSecond, int code) {
        events.add(new long[] { epochSecond, code });
        while (events.size() > EVENT_LOG_CAPACITY) {
            events.remove(0);
        }
    }

    void addPowerFailure(long epochSecond, long durationSeconds) {
        powerFailures.add(new long[] { epochSecond, durationSeconds });
        while (powerFailures.size() > POWER_FAILURE_LOG_CAPACITY) {
            powerFailures.remove(0);
        }
    }

    void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("formatVersion", Integer.toString(FORMAT_VERSION));
        p.setProperty("originSlot", Long.toString(originSlot));
        p.setProperty("accountedSlot", Long.toString(accountedSlot));
        p.setProperty("creditMilli", Long.toString(creditMilli));
        p.setProperty("lowCreditThresholdMinor", Long.toString(lowCreditThresholdMinor));
        p.setProperty("emergencyStatus", Integer.toString(emergencyStatus));
        p.setProperty("emergencyRemainingMilli", Long.toString(emergencyRemainingMilli));
        p.setProperty("lowCreditAlarmRaised", Boolean.toString(lowCreditAlarmRaised));
        p.setProperty("outOfCreditAlarmRaised", Boolean.toString(outOfCreditAlarmRaised));
        p.setProperty("outputConnected", Boolean.toString(outputConnected));
        p.setProperty("controlState", Integer.toString(controlState));
        p.setProperty("controlMode", Integer.toString(controlMode));
        p.setProperty("disconnectReason", disconnectReason.name());
        p.setProperty("disconnections", pairs(disconnections));
        p.setProperty("usedTokenIds", String.join(",", usedTokenIds));
        p.setProperty("lastToken", HexFormat.of().formatHex(lastToken));
        p.setProperty("tokenTimeMillis", Long.toString(tokenTimeMillis));
        p.setProperty("tokenStatus", Integer.toString(tokenStatus));
        p.setProperty("tokenDescription", tokenDescription);
        p.setProperty("invocationCounter", Long.toString(invocationCounter));
        p.setProperty("clockOffsetMillis", Long.toString(clockOffsetMillis));
        p.setProperty("lastSimTimeMillis", Long.toString(lastSimTimeMillis));
        p.setProperty("events", pairs(events));
        p.setProperty("powerFailures", pairs(powerFailures));

        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, "Metergate simulated DLMS meter state; edit only while the simulator is stopped");
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static MeterState load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        try {
            MeterState s = new MeterState();
            int version = Integer.parseInt(p.getProperty("formatVersion", "0"));
            if (version != FORMAT_VERSION) {
                throw new IOException("state file " + file + " has format version " + version + ", expected "
                        + FORMAT_VERSION + "; move it away to start this meter fresh");
            }
            s.originSlot = longOf(p, "originSlot");
            s.accountedSlot = longOf(p, "accountedSlot");
            s.creditMilli = longOf(p, "creditMilli");
            s.lowCreditThresholdMinor = longOf(p, "lowCreditThresholdMinor");
            s.emergencyStatus = (int) longOf(p, "emergencyStatus");
            s.emergencyRemainingMilli = longOf(p, "emergencyRemainingMilli");
            s.lowCreditAlarmRaised = Boolean.parseBoolean(p.getProperty("lowCreditAlarmRaised"));
            s.outOfCreditAlarmRaised = Boolean.parseBoolean(p.getProperty("outOfCreditAlarmRaised"));
            s.outputConnected = Boolean.parseBoolean(p.getProperty("outputConnected"));
            s.controlState = (int) longOf(p, "controlState");
            s.controlMode = (int) longOf(p, "controlMode");
            s.disconnectReason = DisconnectReason.valueOf(p.getProperty("disconnectReason", "NONE"));
            s.disconnections.addAll(parsePairs(p.getProperty("disconnections", "")));
            String tokens = p.getProperty("usedTokenIds", "");
            if (!tokens.isEmpty()) {
                s.usedTokenIds.addAll(List.of(tokens.split(",")));
            }
            s.lastToken = HexFormat.of().parseHex(p.getProperty("lastToken", ""));
            s.tokenTimeMillis = longOf(p, "tokenTimeMillis");
            s.tokenStatus = (int) longOf(p, "tokenStatus");
            s.tokenDescription = p.getProperty("tokenDescription", "");
            s.invocationCounter = longOf(p, "invocationCounter");
            s.clockOffsetMillis = longOf(p, "clockOffsetMillis");
            s.lastSimTimeMillis = longOf(p, "lastSimTimeMillis");
            s.events.addAll(parsePairs(p.getProperty("events", "")));
            s.powerFailures.addAll(parsePairs(p.getProperty("powerFailures", "")));
            return s;
        } catch (IllegalArgumentException e) {
            throw new IOException("state file " + file + " is damaged (" + e.getMessage()
                    + "); fix the value or move the file away to start this meter fresh", e);
        }
    }

    private static long longOf(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return Long.parseLong(value.trim());
    }

    private static String pairs(List<long[]> list) {
        StringBuilder sb = new StringBuilder();
        for (long[] pair : list) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(pair[0]).append(':').append(pair[1]);
        }
        return sb.toString();
    }

    private static List<long[]> parsePairs(String text) {
        List<long[]> list = new ArrayList<>();
        if (text.isBlank()) {
            return list;
        }
        for (String pair : text.split(";")) {
            String[] parts = pair.split(":");
            list.add(new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) });
        }
        return list;
    }
}
