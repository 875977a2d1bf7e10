// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example mosquitto configuration in docs/mosquitto with this module's PKI: the same per-gateway rules
 * as the embedded broker. Skipped where mosquitto is not installed ({@code apt-get install mosquitto}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MosquittoInteropTest {

    private static final String EXAMPLE_DIR = "/etc/mosquitto/metergate/";

    @TempDir
    static Path dir;
    static Pki pki;
    static Process mosquitto;
    static int port;
    static Path log;

    @BeforeAll
    static void startMosquitto() throws Exception {
        Path binary = Path.of("/usr/sbin/mosquitto");
        assumeTrue(Files.isExecutable(binary), "mosquitto is not installed (apt-get install mosquitto)");
        Path docs = Path.of(System.getProperty("basedir", "."), "..", "docs", "mosquitto");
        pki = Pki.create(dir.resolve("pki"));
        port = EmbeddedBroker.freePort();
        String pkiDir = pki.dir().toAbsolutePath() + "/";
        Files.copy(docs.resolve("acl"), dir.resolve("pki/acl"));
        String conf = Files.readString(docs.resolve("mosquitto.conf")).replace(EXAMPLE_DIR, pkiDir)
                .replace("listener 8883", "listener " + port + " 127.0.0.1");
        assertThat(conf).as("the example's listener line moved").contains("listener " + port + " 127.0.0.1");
        // mosquitto started as root drops to its own user, which could not read the test's owner-only keys
        conf += "\nuser " + System.getProperty("user.name") + "\nlog_dest stderr\n";
        Path confFile = dir.resolve("mosquitto.conf");
        Files.writeString(confFile, conf);
        log = dir.resolve("mosquitto.log");
        mosquitto = new ProcessBuilder(binary.toString(), "-c", confFile.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening()) {
            if (!mosquitto.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("mosquitto did not start: " + Files.readString(log));
            }
            Thread.sleep(50); // polling for the port, not an assertion
        }
    }

    private static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopMosquitto() throws Exception {
        if (mosquitto != null) {
            mosquitto.destroy();
            if (!mosquitto.waitFor(5, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    private static TestClient as(String cn) throws Exception {
        return TestClient.connect(uri(), pki.sslContext(pki.identityFor(cn)));
    }

    @Test
    void gatewayUsesItsOwnTopicsAndTheHeadendSeesThem() throws Exception {
        try (TestClient headend = as(Pki.HEADEND_CN); TestClient gw = as("gw1")) {
            assertThat(headend.subscribe("$share/headend/mg/v1/+/readings")).containsExactly(1);
            assertThat(gw.subscribe("mg/v1/gw1/cmd/+")).containsExactly(1);
            assertThat(gw.publish("mg/v1/gw1/readings", "{\"r\":1}", false)).isZero();
            assertThat(headend.next().topic()).isEqualTo("mg/v1/gw1/readings");
            headend.publish("mg/v1/gw1/cmd/read-now", "{}", false);
            assertThat(gw.next().topic()).isEqualTo("mg/v1/gw1/cmd/read-now");
        }
    }

    @Test
    void gatewayCannotReadAnotherGatewaysTopics() throws Exception {
        try (TestClient headend = as(Pki.HEADEND_CN); TestClient gw1 = as("gw1")) {
            int[] codes = gw1.subscribe("mg/v1/gw2/cmd/+", "mg/v1/gw1/cmd/+");
            // mosquitto may grant the filter and then deliver nothing: either way, no delivery is what counts
            assertThat(codes[1]).isEqualTo(1);
            headend.publish("mg/v1/gw2/cmd/read-now", "{\"for\":\"gw2\"}", false);
            headend.publish("mg/v1/gw1/cmd/read-now", "{\"marker\":true}", false);
            assertThat(gw1.next().topic()).isEqualTo("mg/v1/gw1/cmd/read-now");
            assertThat(gw1.received).isEmpty();
        }
    }

    @Test
    void gatewaysPublishOnAnotherGatewaysTopicIsNotDelivered() throws Exception {
        try (TestClient headend = as(Pki.HEADEND_CN); TestClient gw1 = as("gw1")) {
            headend.subscribe("mg/v1/gw2/#", "mg/v1/gw1/#");
            try {
                gw1.publish("mg/v1/gw2/readings", "{\"forged\":true}", false);
            } catch (MqttException refused) {
                // refused with a reason code: also fine
            }
            gw1.publish("mg/v1/gw1/readings", "{\"marker\":true}", false);
            assertThat(headend.next().topic()).isEqualTo("mg/v1/gw1/readings");
            assertThat(headend.received).isEmpty();
        }
    }

    @Test
    void wrongCaAndMissingCertificateAreRefusedAtTheHandshake() throws Exception {
        Pki.Identity foreign = pki.issueFromForeignCa("gw1");
        assertThatThrownBy(() -> TestClient.connect(uri(), pki.sslContext(foreign)).close())
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> TestClient.connect(uri(), pki.sslContextWithoutCertificate()).close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void plaintextIsNotOffered() {
        assertThatThrownBy(() -> TestClient.connect("tcp://127.0.0.1:" + port, null).close())
                .isInstanceOf(MqttException.class);
    }
}
