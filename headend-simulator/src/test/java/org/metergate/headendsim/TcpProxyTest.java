// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    @TempDir
    Path dir;

    @Test
    void cuttingTheLinkMakesTheBrokerSendTheWillAndDownRefusesReconnects() throws Exception {
        Pki pki = Pki.create(dir);
        try (EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                TcpProxy link = new TcpProxy(broker.port());
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
                        .tls(pki.clientContext(Pki.HEADEND_CN)).start()) {
            MqttMessage will = new MqttMessage(
                    "{\"schema\":\"status/v1\",\"msgId\":\"w1\",\"state\":\"offline\",\"reason\":\"link-lost\"}".getBytes());
            will.setQos(1);
            will.setRetained(true);
            try (TestClient gw = TestClient.connect(link.uri("ssl"), pki.clientContext("gw-link"),
                    o -> o.setWill("mg/v1/gw-link/status", will))) {
                gw.publish("mg/v1/gw-link/status",
                        "{\"schema\":\"status/v1\",\"msgId\":\"b1\",\"state\":\"online\",\"version\":\"1\",\"meters\":[]}",
                        true);
                headend.awaitState("gw-link", "online", Duration.ofSeconds(10));
                assertThat(link.openConnections()).isEqualTo(1);

                link.down(true);
                link.cut();

                assertThat(headend.awaitState("gw-link", "offline", Duration.ofSeconds(10)).get("reason").getAsString())
                        .isEqualTo("link-lost");
                assertThatThrownBy(() -> TestClient.connect(link.uri("ssl"), pki.clientContext("gw-link")).close())
                        .isInstanceOf(MqttException.class);
                link.down(false);
                TestClient.connect(link.uri("ssl"), pki.clientContext("gw-link")).close();
            }
        }
    }
}
