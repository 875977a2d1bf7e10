// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;

/**
 * A technician reaches the console before the gateway is commissioned (HTTPS with the device key's self-signed
 * certificate), and after commissioning and key rotation new connections present the new certificate while the
 * console keeps running.
 */
@Timeout(60)
class BeforeCommissioningTest {

    @TempDir
    Path temp;

    @Test
    void servesTheFirstVisitWithTheSelfSignedCertificateThenFollowsCommissioningAndRotation() throws Exception {
        try (PinnedConsole console = new PinnedConsole(temp, List.of())) {
            X509Certificate selfSigned = console.identity.serverCertificate();
            assertThat(selfSigned.getSubjectX500Principal()).isEqualTo(selfSigned.getIssuerX500Principal());
            assertThat(CertificateFingerprint.describe(selfSigned)).startsWith("self-signed")
                    .contains("CN=" + ConsoleServer.GATEWAY_ID).containsPattern("([0-9A-F]{2}:){31}[0-9A-F]{2}");

            HttpResponse<String> setup = console.browserPinning(selfSigned).get("/setup");
            assertThat(setup.statusCode()).isEqualTo(200);
            assertThat(setup.body()).contains("First visit");

            TestHeadendPki headend = new TestHeadendPki("Head-end CA");
            console.identity.install(headend.chainPem(headend.issueFromCsr(console.identity.certificationRequest())),
                    headend.rootPem());
            X509Certificate signed = console.identity.serverCertificate();
            assertThat(signed.getIssuerX500Principal()).isEqualTo(headend.certificate().getSubjectX500Principal());
            assertThat(CertificateFingerprint.describe(signed)).startsWith("issued by CN=Head-end CA");
            // the running console presents the signed certificate to the next connection
            assertThat(console.browserPinning(signed).get("/setup").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> console.browserPinning(selfSigned).get("/setup"))
                    .isInstanceOf(SSLHandshakeException.class);

            console.identity.install(headend.chainPem(headend.issueFromCsr(console.identity.startRotation())),
                    headend.rootPem());
            X509Certificate rotated = console.identity.serverCertificate();
            assertThat(rotated.getPublicKey()).isNotEqualTo(signed.getPublicKey());
            assertThat(console.browserPinning(rotated).get("/setup").statusCode()).isEqualTo(200);
        }
    }
}
