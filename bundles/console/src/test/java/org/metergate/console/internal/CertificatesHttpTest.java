// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;
import org.metergate.security.testing.TestHeadendPki.Role;

/**
 * The certificates page over HTTPS against a real device keystore that is not commissioned yet: the placeholder
 * shown with its fingerprint, the request downloaded and checked as PKCS#10, wrong certificates refused with their
 * reason and nothing changed, the right one installed and presented to the next connection.
 */
@Timeout(60)
class CertificatesHttpTest {

    @TempDir
    Path temp;

    private PinnedConsole console;

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
    }

    private void start() throws Exception {
        console = new PinnedConsole(temp, List.of(new CertificatesSection(Clock.systemUTC(), () -> console.identity,
                () -> console.identity, () -> console.identity)));
    }

    @Test
    void needsLoginForThePageAndTheRequest() throws Exception {
        start();
        Browser anonymous = console.browserPinning(console.identity.serverCertificate());
        assertThat(anonymous.get("/certificates").statusCode()).isEqualTo(303);
        HttpResponse<String> request = anonymous.get(CertificatesSection.REQUEST_PATH);
        assertThat(request.statusCode()).isEqualTo(303);
        assertThat(request.body()).doesNotContain("CERTIFICATE REQUEST");
    }

    @Test
    void showsThePlaceholderAndDownloadsAPkcs10RequestWithTheGatewayId() throws Exception {
        start();
        Browser browser = console.loggedIn();
        X509Certificate placeholder = console.identity.serverCertificate();

        HttpResponse<String> page = browser.get("/certificates");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<a href=\"/certificates\">Certificates</a>")
                .contains("Self-signed placeholder").contains("CN=" + ConsoleServer.GATEWAY_ID)
                .contains(CertificateFingerprint.sha256(placeholder)).contains("none installed")
                .contains("href=\"" + CertificatesSection.REQUEST_PATH + "\"");

        HttpResponse<String> download = browser.get(CertificatesSection.REQUEST_PATH);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/pkcs10"));
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"" + ConsoleServer.GATEWAY_ID + ".csr\"");

        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(download.body()))) {
            pem = reader.readPemObject();
        }
        assertThat(pem.getType()).isEqualTo("CERTIFICATE REQUEST");
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(pem.getContent());
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(new BouncyCastleProvider()).build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()))
                .isEqualTo(ConsoleServer.GATEWAY_ID);
        PublicKey requested = new JcaPKCS10CertificationRequest(csr).setProvider(new BouncyCastleProvider())
                .getPublicKey();
        assertThat(requested.getEncoded()).isEqualTo(placeholder.getPublicKey().getEncoded());
    }

    @Test
    void refusesWrongCertificatesWithTheirReasonAndChangesNothing() throws Exception {
        start();
        Browser browser = console.loggedIn();
        X509Certificate placeholder = console.identity.serverCertificate();
        String csrf = Browser.hidden(browser.get("/certificates").body(), "csrf");
        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        PublicKey deviceKey = placeholder.getPublicKey();
        String subject = "CN=" + ConsoleServer.GATEWAY_ID + ",O=Metergate gateway";
        Instant now = Instant.now();

        X509Certificate otherKey = headend.issue(TestHeadendPki.ecKeys().getPublic(), subject,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), Role.CLIENT);
        assertRefused(browser, csrf, headend.chainPem(otherKey), headend.rootPem(),
                "does not match this gateway&#39;s device key");

        X509Certificate expired = headend.issue(deviceKey, subject, now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(35)), Role.CLIENT);
        assertRefused(browser, csrf, headend.chainPem(expired), headend.rootPem(), "expired on");

        TestHeadendPki stranger = new TestHeadendPki("Another CA");
        X509Certificate foreign = stranger.issue(deviceKey, subject, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(365)), Role.CLIENT);
        assertRefused(browser, csrf, stranger.chainPem(foreign), headend.rootPem(),
                "does not chain up to the head-end CA");

        assertRefused(browser, csrf, "not a certificate", headend.rootPem(), "contains no certificate");

        HttpResponse<String> blank = browser.post("/certificates/install",
                Map.of("csrf", csrf, "chain", headend.chainPem(foreign), "ca", " "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("the head-end CA certificate as well");

        X509Certificate valid = headend.issueFromCsr(console.identity.certificationRequest());
        HttpResponse<String> withoutToken = browser.post("/certificates/install",
                Map.of("chain", headend.chainPem(valid), "ca", headend.rootPem()));
        assertThat(withoutToken.statusCode()).isEqualTo(403);

        assertThat(console.identity.serverCertificate()).isEqualTo(placeholder);
        assertThat(console.identity.headendAuthorities()).isEmpty();
        assertThat(console.identity.commissioned()).isFalse();
        assertThat(browser.get("/certificates").body()).contains("Self-signed placeholder")
                .contains(CertificateFingerprint.sha256(placeholder));
    }

    @Test
    void installsTheCertificateSignedForTheDownloadedRequest() throws Exception {
        start();
        Browser browser = console.loggedIn();
        String csrf = Browser.hidden(browser.get("/certificates").body(), "csrf");
        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        X509Certificate signed = headend.issueFromCsr(browser.get(CertificatesSection.REQUEST_PATH).body());

        HttpResponse<String> installed = browser.post("/certificates/install",
                Map.of("csrf", csrf, "chain", headend.chainPem(signed), "ca", headend.rootPem()));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(303);
        assertThat(installed.headers().firstValue("Location")).hasValue("/certificates");

        assertThat(console.identity.commissioned()).isTrue();
        assertThat(console.identity.serverCertificate()).isEqualTo(signed);
        assertThat(console.identity.headendAuthorities()).containsExactly(headend.certificate());

        // the next connection presents the signed certificate; the session goes on
        Browser next = console.browserPinning(signed);
        next.cookies.putAll(browser.cookies);
        HttpResponse<String> page = next.get("/certificates");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Signed by the head-end CA").doesNotContain("Self-signed placeholder")
                .contains("CN=Head-end CA").contains(CertificateFingerprint.sha256(signed));
    }

    private static void assertRefused(Browser browser, String csrf, String chain, String ca, String reason)
            throws Exception {
        HttpResponse<String> refused = browser.post("/certificates/install",
                Map.of("csrf", csrf, "chain", chain, "ca", ca));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("Certificate not installed").contains(reason);
    }
}
