// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;

/**
 * DLMS/COSEM meters in the shipped gateway: a simulated meter on the TCP wrapper with HLS5-GMAC, configured in
 * conf/ and given its keys with {@code mg:dlms-key}, comes ONLINE and reads energy with units; a second meter that
 * refuses every association and a third that never answers become UNREACHABLE with plain reasons while the
 * first keeps being read.
 */
class DlmsMeterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void dlmsMeterWithKeysFromTheShellIsReadWhileARefusingOneIsUnreachable() throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().count(3).seed(3).stateDir(stateDir).start();
                GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            DlmsMeter good = sim.meters().get(0);
            DlmsMeter refusing = sim.meters().get(1);
            DlmsMeter silent = sim.meters().get(2);
            refusing.faults().refuseAssociation(true);
            silent.faults().noAnswer(true);

            gateway.writeConf("org.metergate.security.cfg", "gatewayId=gw-dlms-it\n");
            writeDlmsConfig(gateway, "dgood", good);
            writeDlmsConfig(gateway, "drefuse", refusing);
            writeDlmsConfig(gateway, "dsilent", silent);
            gateway.start();

            // without keys the meter is listed with what to do, not silently missing
            gateway.awaitCommandOutput("mg:meters", out -> rows(out).getOrDefault("dgood", "")
                    .contains("enter them with mg:dlms-key"), WAIT);

            Map<String, DlmsMeter> byId = Map.of("dgood", good, "drefuse", refusing, "dsilent", silent);
            for (String meterId : byId.keySet()) {
                DlmsMeter meter = byId.get(meterId);
                String auth = HexFormat.of().formatHex(meter.config().authenticationKey());
                String enc = HexFormat.of().formatHex(meter.config().encryptionKey());
                String stored = gateway.execute("mg:dlms-key " + meterId + " authentication " + auth);
                assertThat(stored).contains("Stored the authentication key of meter " + meterId)
                        .doesNotContainIgnoringCase(auth);
                assertThat(gateway.execute("mg:dlms-key " + meterId + " encryption " + enc))
                        .contains("Stored the encryption key").doesNotContainIgnoringCase(enc);
            }

            Map<String, String> rows = rows(gateway.awaitCommandOutput("mg:meters", out -> {
                Map<String, String> r = rows(out);
                return state(r, "dgood", "ONLINE") && state(r, "drefuse", "UNREACHABLE")
                        && state(r, "dsilent", "UNREACHABLE");
            }, WAIT));
            assertThat(rows.get("dgood")).contains("dlms");
            assertThat(rows.get("drefuse")).contains("refused the association", "mg:dlms-key");
            assertThat(rows.get("dsilent")).contains("no answer from meter dsilent", "1500 ms");

            String read = gateway.execute("mg:read dgood");
            assertThat(read).contains("1-0:1.8.0*255 =", " Wh", " V", " Hz").doesNotContain("Could not read");
            assertThat(gateway.execute("mg:read drefuse")).contains("Could not read drefuse", "refused");

            // the good meter keeps being read while the other one keeps failing
            long before = readings(gateway.execute("mg:outbox 1000"));
            gateway.awaitCommandOutput("mg:outbox 1000", out -> readings(out) >= before + 3, WAIT);
            Map<String, String> after = rows(gateway.execute("mg:meters"));
            assertThat(state(after, "drefuse", "UNREACHABLE") && state(after, "dsilent", "UNREACHABLE")).isTrue();
            String outbox = gateway.execute("mg:outbox 1000");
            for (String meterId : new String[] {"drefuse", "dsilent"}) {
                assertThat(outbox.lines().filter(l -> l.contains(" " + meterId + " ") && l.contains("meter-unreachable"))
                        .count()).as("unreachable events of " + meterId).isEqualTo(1);
            }
        }
    }

    private static void writeDlmsConfig(GatewayUnderTest gateway, String meterId, DlmsMeter meter) throws Exception {
        gateway.writeConf("org.metergate.dlms.meter-" + meterId + ".cfg", "meterId=" + meterId + "\n"
                + "link=tcp://127.0.0.1:" + meter.wrapperPort() + "\n"
                + "authentication=HLS5_GMAC\n"
                + "expectedSystemTitle=" + meter.config().systemTitleHex() + "\n"
                + "pollIntervalSeconds=2\nresponseTimeoutMs=1500\nretries=1\n"
                + "backoffInitialSeconds=1\nbackoffMaxSeconds=1\n");
    }

    /** Reading messages of the good meter waiting in the outbox. */
    private static long readings(String outbox) {
        return outbox.lines().filter(l -> l.contains("READING") && l.contains(" dgood ")).count();
    }

    /** mg:meters rows by meter id (first column). */
    private static Map<String, String> rows(String meters) {
        return meters.lines().skip(1).filter(Predicate.not(String::isBlank))
                .collect(Collectors.toMap(l -> l.split("\\s+")[0], l -> l, (a, b) -> b, LinkedHashMap::new));
    }

    private static boolean state(Map<String, String> rows, String meter, String state) {
        String row = rows.get(meter);
        return row != null && Arrays.asList(row.split("\\s+")).contains(state);
    }
}
