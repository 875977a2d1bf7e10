// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.testing.BundleManifests;

/** The factory other modules' tests use, over a real TCP link, and that the bundle keeps it to itself. */
@Timeout(10)
class SerialLinksTest {

    private final LinkService links = SerialLinks.linkService();

    @Test
    void aServiceMadeHereCarriesBytesBothWaysOverATcpSerialServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ByteLink link = links.open(LinkAddress.tcp("127.0.0.1", server.getLocalPort()),
                        LinkSettings.IEC_SIGN_ON, Duration.ofSeconds(2));
                Socket peer = server.accept()) {
            link.output().write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
            link.output().flush();
            assertThat(peer.getInputStream().readNBytes(5)).asString(StandardCharsets.US_ASCII).isEqualTo("/?!\r\n");

            peer.getOutputStream().write("/ABC5meter\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(link.input().readNBytes(12)).asString(StandardCharsets.US_ASCII).isEqualTo("/ABC5meter\r\n");
        }
    }

    @Test
    void aMissingPortIsRefusedByNameAndTheListNamesEachPort() {
        assertThatThrownBy(() -> links.open(LinkAddress.serial("/dev/ttyUSB97"), LinkSettings.IEC_SIGN_ON,
                Duration.ofSeconds(1))).isInstanceOf(LinkUnavailableException.class)
                .hasMessageStartingWith("serial port /dev/ttyUSB97 does not exist");
        assertThat(links.listPorts()).allSatisfy(port -> assertThat(port.path()).isNotBlank());
    }

    @Test
    void theBundleExportsOnlyThePackageForLibrariesNotTheFactoryNorTheInternals() throws Exception {
        Attributes main = BundleManifests.ofThisModule().getMainAttributes();
        assertThat(main.getValue("Export-Package")).startsWith("org.metergate.serial;")
                .doesNotContain("org.metergate.serial.embedded").doesNotContain("org.metergate.serial.internal");
        List<String> privatePackages = Arrays.stream(main.getValue("Private-Package").split(","))
                .map(String::strip).toList();
        assertThat(privatePackages).contains("org.metergate.serial.embedded", "org.metergate.serial.internal");
    }
}
