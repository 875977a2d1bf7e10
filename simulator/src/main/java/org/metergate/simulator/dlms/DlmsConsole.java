// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Runtime control of a running DLMS simulator, one command per line (stdin of the CLI):
 * <pre>
 * status                          meters, ports, credit and relay
 * fault SERIAL fcs N              corrupt the FCS of the next N frames
 * fault SERIAL drop N             drop the next N frames
 * fault SERIAL silent on|off      read requests, never answer
 * fault SERIAL refuse on|off      reject every association
 * fault SERIAL wrong-keys on|off  use keys other than the configured ones
 * fault SERIAL clear              clear all faults
 * button SERIAL                   the customer presses the meter's button
 * token SERIAL TEXT               enter a token on the meter's keypad
 * power-fail SERIAL SECONDS       log a power failure that just ended
 * help | quit
 * </pre>
 */
final class DlmsConsole {
    private final DlmsSimulator simulator;
    private final PrintStream out;

    DlmsConsole(DlmsSimulator simulator, PrintStream out) {
        this.simulator = simulator;
        this.out = out;
    }

    /** Reads commands until "quit" or end of input; returns true when the user asked to quit. */
    boolean run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!execute(line)) {
                return true;
            }
        }
        return false;
    }

    /** Executes one command line; returns false for "quit". */
    boolean execute(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return true;
        }
        try {
            switch (words[0].toLowerCase(Locale.ROOT)) {
            case "quit":
            case "exit":
                return false;
            case "status":
                printStatus();
                break;
            case "fault":
                fault(words);
                break;
            case "button":
                meter(words, 2).firmware().pressButton();
                out.println("button pressed; relay " + relay(meter(words, 2)));
                break;
            case "token":
                require(words, 3, "token SERIAL TEXT");
                TokenStatus status = meter(words, 3).firmware()
                        .enterToken(words[2].getBytes(StandardCharsets.US_ASCII));
                out.println("token status " + status.code() + " " + status);
                break;
            case "power-fail":
                require(words, 3, "power-fail SERIAL SECONDS");
                meter(words, 3).firmware().powerFailure(Duration.ofSeconds(Long.parseLong(words[2])));
                out.println("power failure logged");
                break;
            case "help":
                out.println("commands: status | fault SERIAL fcs N|drop N|silent on|off|refuse on|off|"
                        + "wrong-keys on|off|clear | button SERIAL | token SERIAL TEXT | power-fail SERIAL SECONDS "
                        + "| quit");
                break;
            default:
                out.println("unknown command '" + words[0] + "'; type help");
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
        }
        return true;
    }

    private void fault(String[] words) {
        require(words, 3, "fault SERIAL fcs N|drop N|silent on|off|refuse on|off|wrong-keys on|off|clear");
        DlmsFaults faults = meter(words, 3).faults();
        String kind = words[2].toLowerCase(Locale.ROOT);
        if (kind.equals("clear")) {
            faults.clear();
        } else {
            require(words, 4, "fault SERIAL " + kind + " VALUE");
            String value = words[3];
            switch (kind) {
            case "fcs":
                faults.corruptNextFrames(Integer.parseInt(value));
                break;
            case "drop":
                faults.dropNextFrames(Integer.parseInt(value));
                break;
            case "silent":
                faults.noAnswer(onOff(value));
                break;
            case "refuse":
                faults.refuseAssociation(onOff(value));
                break;
            case "wrong-keys":
                faults.wrongKeys(onOff(value));
                break;
            default:
                throw new IllegalArgumentException("unknown fault '" + kind
                        + "' (fcs, drop, silent, refuse, wrong-keys, clear)");
            }
        }
        out.println("ok");
    }

    private static boolean onOff(String value) {
        if (value.equalsIgnoreCase("on")) {
            return true;
        }
        if (value.equalsIgnoreCase("off")) {
            return false;
        }
        throw new IllegalArgumentException("expected on or off, got '" + value + "'");
    }

    private static void require(String[] words, int count, String usage) {
        if (words.length < count) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private DlmsMeter meter(String[] words, int count) {
        require(words, count, words[0] + " SERIAL ...");
        DlmsMeter meter = simulator.meter(words[1]);
        if (meter == null) {
            throw new IllegalArgumentException("no meter with serial " + words[1] + "; type status for the list");
        }
        return meter;
    }

    private static String relay(DlmsMeter meter) {
        return meter.firmware().relayConnected() ? "closed" : "open";
    }

    void printStatus() {
        for (DlmsMeter meter : simulator.meters()) {
            MeterFirmware firmware = meter.firmware();
            out.printf(Locale.ROOT, "%s  wrapper %d  hdlc %s  credit %d  relay %s  import %d Wh%n",
                    meter.config().serial(), meter.wrapperPort(),
                    meter.hdlcPort() < 0 ? "-" : Integer.toString(meter.hdlcPort()),
                    firmware.availableCreditMinor(), relay(meter), firmware.importWh());
        }
    }

    /** The startup listing: everything a developer needs to point a client at the meters. */
    void printMeters() {
        HexFormat hex = HexFormat.of().withUpperCase();
        for (int i = 0; i < simulator.meters().size(); i++) {
            DlmsMeter meter = simulator.meters().get(i);
            DlmsMeterConfig config = meter.config();
            out.printf(Locale.ROOT, "meter %s  system title %s  logical device %d%n", config.serial(),
                    config.systemTitleHex(), DlmsMeterConfig.LOGICAL_DEVICE_ID);
            out.printf(Locale.ROOT, "  wrapper tcp port %d%s%s%n", meter.wrapperPort(),
                    meter.hdlcPort() < 0 ? "" : ", hdlc tcp port " + meter.hdlcPort(),
                    simulator.ptyPath(i) == null ? "" : ", pty " + simulator.ptyPath(i));
            out.printf(Locale.ROOT, "  clients: %d public (no security), %d management (HLS5-GMAC, suite 0)%n",
                    DlmsMeterConfig.PUBLIC_CLIENT_ID, DlmsMeterConfig.MANAGEMENT_CLIENT_ID);
            out.printf(Locale.ROOT, "  test keys: master %s  authentication %s  encryption %s%n",
                    hex.formatHex(config.masterKey()), hex.formatHex(config.authenticationKey()),
                    hex.formatHex(config.encryptionKey()));
        }
    }
}
