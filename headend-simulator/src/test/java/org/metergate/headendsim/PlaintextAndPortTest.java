// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlaintextAndPortTest {

    @TempDir
    Path dir;

    @Test
    void insecurePlaintextBrokerNeedsNoCertificate() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.insecurePlaintext().build().start();
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri()).start();
                TestClient gw = TestClient.connect(broker.uri(), null)) {
            assertThat(broker.uri()).startsWith("tcp://127.0.0.1:");
            assertThat(broker.isMutualTls()).isFalse();
            gw.publish("mg/v1/gw-dev/events", "{\"schema\":\"event/v1\",\"msgId\":\"e1\",\"type\":\"tamper\"}", false);
            assertThat(headend.awaitMessage("gw-dev", "events", e -> true, Duration.ofSeconds(10)).msgId())
                    .isEqualTo("e1");
        }
    }

    @Test
    void extraPlaintextAcceptorBesideMutualTls() throws Exception {
        Pki pki = Pki.create(dir);
        try (EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).alsoInsecurePlaintext(0).build().start();
                TestClient headend = TestClient.connect(broker.uri(), pki.clientContext(Pki.HEADEND_CN));
                TestClient plain = TestClient.connect(broker.plaintextUri(), null)) {
            headend.subscribe("mg/v1/+/status");
            assertThat(plain.publish("mg/v1/gw-plain/status", "{\"state\":\"online\"}", false)).isZero();
            assertThat(headend.next().topic()).isEqualTo("mg/v1/gw-plain/status");
            assertThatThrownBy(() -> TestClient.connect(broker.uri(), pki.sslContextWithoutCertificate()).close())
                    .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class);
        }
    }

    @Test
    void busyPortGivesAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedBroker broker = EmbeddedBroker.insecurePlaintext().port(taken.getLocalPort()).build();
            assertThatThrownBy(broker::start).hasMessageContaining(String.valueOf(taken.getLocalPort()))
                    .hasMessageContaining("--port");
            assertThat(broker.isRunning()).isFalse();
        }
    }
}
