// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;
import org.metergate.testing.BundleManifests;

/** The factory other modules' tests use: a real keystore on disk, commissioned by a test CA, kept by the bundle. */
@Timeout(30)
class DeviceIdentitiesTest {

    @TempDir
    Path dir;

    @Test
    void firstOpenMakesAnOwnerOnlyKeystoreWithASelfSignedCertificateForTheGateway() throws Exception {
        EmbeddedIdentity identity = DeviceIdentities.open(dir.resolve("security"), "gw-7");

        assertThat(identity.gatewayId()).isEqualTo("gw-7");
        assertThat(identity.commissioned()).isFalse();
        assertThat(identity.headendAuthorities()).isEmpty();
        X509Certificate presented = identity.serverCertificate();
        assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=gw-7");
        assertThat(presented.getIssuerX500Principal()).isEqualTo(presented.getSubjectX500Principal());
        assertThat(Files.getPosixFilePermissions(dir.resolve("security").resolve("device.p12")))
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThatThrownBy(identity::clientTlsContext).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("no signed device certificate installed yet");
    }

    @Test
    void commissionedOnceItStaysCommissionedWhenOpenedAgain() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        EmbeddedIdentity identity = DeviceIdentities.open(dir, "gw-7");

        String installed = identity.install(headend.chainPem(headend.issueFromCsr(identity.certificationRequest())),
                headend.rootPem());

        assertThat(installed).startsWith("installed certificate '").contains("CN=gw-7", "issued by 'CN=Head-end CA'");
        assertThat(identity.commissioned()).isTrue();
        assertThat(identity.clientTlsContext().getProtocol()).isEqualTo("TLSv1.3");
        X509Certificate signed = identity.serverCertificate();
        assertThat(signed.getIssuerX500Principal()).isEqualTo(headend.certificate().getSubjectX500Principal());

        EmbeddedIdentity reopened = DeviceIdentities.open(dir, "gw-7");
        assertThat(reopened.commissioned()).isTrue();
        assertThat(reopened.serverCertificate()).isEqualTo(signed);
        assertThat(reopened.headendAuthorities()).containsExactly(headend.certificate());
    }

    @Test
    void aRotationSwitchesToTheNewKeyWhenItsCertificateIsInstalled() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        EmbeddedIdentity identity = DeviceIdentities.open(dir, "gw-7");
        identity.install(headend.chainPem(headend.issueFromCsr(identity.certificationRequest())), headend.rootPem());
        X509Certificate before = identity.serverCertificate();

        String request = identity.startRotation();
        assertThat(identity.rotationPending()).isTrue();
        // asked again, a request for the same pending key (ECDSA signatures differ each time)
        assertThat(headend.issueFromCsr(identity.startRotation()).getPublicKey())
                .isEqualTo(headend.issueFromCsr(request).getPublicKey());
        assertThat(identity.serverCertificate()).isEqualTo(before);
        identity.install(headend.chainPem(headend.issueFromCsr(request)), headend.rootPem());

        assertThat(identity.rotationPending()).isFalse();
        assertThat(identity.serverCertificate().getPublicKey()).isNotEqualTo(before.getPublicKey());
        identity.startRotation();
        identity.cancelRotation();
        assertThat(identity.rotationPending()).isFalse();
    }

    @Test
    void aBadGatewayIdOrAKeystoreOfAnotherGatewayIsRefusedWithWhatToDo() throws Exception {
        assertThatThrownBy(() -> DeviceIdentities.open(dir, "gw 7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gw 7'").hasMessageContaining("only letters, digits, '-' and '_'");

        DeviceIdentities.open(dir, "gw-7");
        assertThatThrownBy(() -> DeviceIdentities.open(dir, "gw-8")).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("belongs to gateway 'gw-7' but gatewayId is now 'gw-8'");
    }

    @Test
    void theBundleExportsNeitherTheFactoryNorTheInternals() throws Exception {
        BundleManifests.assertExportsNothing("org.metergate.security.embedded", "org.metergate.security.internal");
    }
}
