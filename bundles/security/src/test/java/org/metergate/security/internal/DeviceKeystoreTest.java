// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;
import org.metergate.security.testing.TestHeadendPki.Role;

class DeviceKeystoreTest {

    private static final String GW = "gw-0042";

    @TempDir
    Path temp;
    private Path dir;
    private TestHeadendPki headend;

    @BeforeEach
    void setUp() throws Exception {
        dir = temp.resolve("data").resolve("security");
        headend = new TestHeadendPki("Metergate test head-end CA");
    }

    private DeviceKeystore open() throws Exception {
        return DeviceKeystore.open(dir, GW, new BouncyCastleProvider(), Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void firstStartCreatesKeyAndPasswordOwnerOnly() throws Exception {
        DeviceKeystore identity = open();

        assertThat(posix(dir).permissions()).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(posix(dir.resolve(DeviceKeystore.KEYSTORE)).permissions())
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(posix(dir.resolve(DeviceKeystore.PASSWORD)).permissions())
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(dir.resolve(DeviceKeystore.PASSWORD)).strip();
        assertThat(Base64.getDecoder().decode(password)).hasSize(32);
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");

        KeyStore onDisk = KeyStore.getInstance("PKCS12");
        onDisk.load(Files.newInputStream(dir.resolve(DeviceKeystore.KEYSTORE)), password.toCharArray());
        assertThat(onDisk.isKeyEntry("device")).isTrue();
        assertThat(onDisk.getCertificate("device").getPublicKey().getAlgorithm()).isEqualTo("EC");

        IdentityStatus status = identity.status();
        assertThat(status.gatewayId()).isEqualTo(GW);
        assertThat(status.signedCertificate()).isFalse();
        assertThat(status.keyCreatedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(status.describe(Instant.now())).contains("mg:csr");
        assertThatThrownBy(identity::clientTlsContext).isInstanceOf(GeneralSecurityException.class)
                .hasMessage("no signed device certificate installed yet — generate a CSR (mg:csr) and install the "
                        + "certificate the head-end CA returns");
    }

    @Test
    void restartLoadsTheSameKey() throws Exception {
        DeviceKeystore first = open();
        PublicKey key = csrKey(first.certificationRequest());
        Instant created = first.status().keyCreatedAt();
        String password = Files.readString(dir.resolve(DeviceKeystore.PASSWORD));

        DeviceKeystore second = open();

        assertThat(csrKey(second.certificationRequest())).isEqualTo(key);
        assertThat(second.status().keyCreatedAt()).isEqualTo(created);
        assertThat(Files.readString(dir.resolve(DeviceKeystore.PASSWORD))).isEqualTo(password);
    }

    @Test
    void csrIsSignedByTheDeviceKeyAndNamesTheGateway() throws Exception {
        String pem = open().certificationRequest();

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        PKCS10CertificationRequest csr = parseCsr(pem);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
                .build(csr.getSubjectPublicKeyInfo())))
                .isTrue();
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
        assertThat(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString()).isEqualTo(GW);
        assertThat(csr.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue().toString())
                .isEqualTo("Metergate gateway");
    }

    @Test
    void installsAChainWithIntermediateAndKeepsItAcrossRestart() throws Exception {
        DeviceKeystore identity = open();
        TestHeadendPki issuing = headend.intermediate("Metergate test issuing CA");

        String result = identity.install(issuing.chainPem(issuing.issueFromCsr(identity.certificationRequest())),
                headend.rootPem());

        assertThat(result).contains("CN=" + GW).contains("Metergate test issuing CA");
        assertThat(identity.status().signedCertificate()).isTrue();
        assertThat(identity.status().issuer()).isEqualTo("CN=Metergate test issuing CA");
        assertThat(identity.status().authorities()).singleElement().asString()
                .startsWith("CN=Metergate test head-end CA");
        assertThat(identity.clientTlsContext()).isNotNull();
        assertThat(posix(dir.resolve(DeviceKeystore.PREVIOUS)).permissions())
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        DeviceKeystore restarted = open();
        assertThat(restarted.status().signedCertificate()).isTrue();
        assertThat(restarted.status().subject()).isEqualTo("O=Metergate gateway,CN=" + GW);
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        DeviceKeystore identity = commissioned();
        KeyPair other = TestHeadendPki.ecKeys();
        String chain = TestHeadendPki.pem(headend.issue(other.getPublic(), "CN=" + GW, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)), Role.CLIENT));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(),
                "public key does not match this gateway's device key");
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        DeviceKeystore identity = commissioned();
        String chain = TestHeadendPki.pem(headend.issue(csrKey(identity.certificationRequest()), "CN=" + GW,
                Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35)), Role.CLIENT));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(), "expired on");
    }

    @Test
    void refusesACertificateNotValidYet() throws Exception {
        DeviceKeystore identity = commissioned();
        String chain = TestHeadendPki.pem(headend.issue(csrKey(identity.certificationRequest()), "CN=" + GW,
                Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(35)), Role.CLIENT));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(), "check the gateway clock");
    }

    @Test
    void refusesAChainFromAnotherCa() throws Exception {
        DeviceKeystore identity = commissioned();
        TestHeadendPki rogue = new TestHeadendPki("Rogue CA");
        String chain = rogue.chainPem(rogue.issueFromCsr(identity.certificationRequest()));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(),
                "issued by 'CN=Rogue CA') does not chain up to the head-end CA 'CN=Metergate test head-end CA'");
    }

    @Test
    void refusesACertificateForAnotherGateway() throws Exception {
        DeviceKeystore identity = commissioned();
        String chain = TestHeadendPki.pem(headend.issue(csrKey(identity.certificationRequest()), "CN=gw-9999",
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Role.CLIENT));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(),
                "is for CN 'gw-9999' but this gateway is '" + GW + "'");
    }

    @Test
    void refusesACertificateWithoutClientAuthentication() throws Exception {
        DeviceKeystore identity = commissioned();
        String chain = TestHeadendPki.pem(headend.issue(csrKey(identity.certificationRequest()), "CN=" + GW,
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Role.NO_CLIENT_AUTH));

        assertRefusedAndUnchanged(identity, chain, headend.rootPem(), "does not allow TLS client authentication");
    }

    @Test
    void refusesFilesWithoutCertificatesOrWithPrivateKeys() throws Exception {
        DeviceKeystore identity = commissioned();
        String chain = headend.chainPem(headend.issueFromCsr(identity.certificationRequest()));

        assertRefusedAndUnchanged(identity, "hello", headend.rootPem(), "contains no certificate");
        assertRefusedAndUnchanged(identity, chain + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                headend.rootPem(), "contains a private key");
    }

    @Test
    void notCommissionedIdentityStaysUsableAfterARefusal() throws Exception {
        DeviceKeystore identity = open();
        String request = identity.certificationRequest();
        String chain = TestHeadendPki.pem(headend.issue(csrKey(request), "CN=other", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)), Role.CLIENT));

        assertThatThrownBy(() -> identity.install(chain, headend.rootPem()))
                .isInstanceOf(CertificateRejectedException.class);

        assertThat(identity.certificationRequest()).satisfies(again -> assertThat(csrKey(again))
                .isEqualTo(csrKey(request)));
        assertThat(identity.status().signedCertificate()).isFalse();
    }

    @Test
    void rotationKeepsTheCurrentCertificateUntilTheNewOneIsInstalled() throws Exception {
        DeviceKeystore identity = commissioned();
        PublicKey oldKey = csrKey(identity.certificationRequest());
        String oldSubjectAndIssuer = identity.status().subject() + identity.status().notAfter();

        String request = identity.startRotation();
        PublicKey newKey = csrKey(request);

        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(identity.status().pendingKeyCreatedAt()).isNotNull();
        assertThat(identity.status().subject() + identity.status().notAfter()).isEqualTo(oldSubjectAndIssuer);
        assertThat(identity.clientTlsContext()).isNotNull();
        assertThat(csrKey(identity.startRotation())).as("a second call keeps the request already sent")
                .isEqualTo(newKey);
        assertThat(csrKey(open().certificationRequest())).as("pending key survives a restart").isEqualTo(newKey);

        identity.install(headend.chainPem(headend.issueFromCsr(request)), headend.rootPem());

        assertThat(identity.status().pendingKeyCreatedAt()).isNull();
        assertThat(identity.status().keyCreatedAt()).isAfterOrEqualTo(identity.status().notBefore()
                .minus(Duration.ofMinutes(10)));
        assertThat(csrKey(identity.certificationRequest())).isEqualTo(newKey);
        DeviceKeystore previous = loadPrevious();
        assertThat(csrKey(previous.certificationRequest())).as("previous keystore holds the old identity")
                .isIn(oldKey, newKey);
    }

    @Test
    void renewingTheCurrentKeyKeepsAPendingRotation() throws Exception {
        DeviceKeystore identity = commissioned();
        PublicKey current = csrKey(identity.certificationRequest());
        identity.startRotation();

        String renewal = TestHeadendPki.pem(headend.issue(current, "CN=" + GW, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(90)), Role.CLIENT));
        identity.install(renewal, headend.rootPem());

        assertThat(identity.status().pendingKeyCreatedAt()).isNotNull();
        identity.cancelRotation();
        assertThat(identity.status().pendingKeyCreatedAt()).isNull();
        assertThat(csrKey(identity.certificationRequest())).isEqualTo(current);
    }

    @Test
    void refusesAKeystoreOfAnotherGateway() throws Exception {
        open();

        assertThatThrownBy(() -> DeviceKeystore.open(dir, "gw-other", new BouncyCastleProvider(), Clock.systemUTC(),
                new SecureRandom())).hasMessageContaining("belongs to gateway '" + GW + "' but gatewayId is now "
                        + "'gw-other'");
    }

    @Test
    void refusesAKeystoreWithoutItsPassword() throws Exception {
        open();
        Files.delete(dir.resolve(DeviceKeystore.PASSWORD));

        assertThatThrownBy(this::open).hasMessageContaining("password file").hasMessageContaining("is missing");
        assertThat(dir.resolve(DeviceKeystore.PASSWORD)).doesNotExist();
    }

    @Test
    void refusesAPasswordThatDoesNotFit() throws Exception {
        open();
        Files.writeString(dir.resolve(DeviceKeystore.PASSWORD), "d3JvbmcgcGFzc3dvcmQ=");

        assertThatThrownBy(this::open).hasMessageContaining("do not belong together");
    }

    private DeviceKeystore commissioned() throws Exception {
        return headend.commission(dir, GW);
    }

    private void assertRefusedAndUnchanged(DeviceKeystore identity, String chain, String ca, String reason)
            throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve(DeviceKeystore.KEYSTORE));
        IdentityStatus statusBefore = identity.status();

        assertThatThrownBy(() -> identity.install(chain, ca)).isInstanceOf(CertificateRejectedException.class)
                .hasMessageContaining(reason);

        assertThat(Files.readAllBytes(dir.resolve(DeviceKeystore.KEYSTORE))).isEqualTo(before);
        assertThat(identity.status()).isEqualTo(statusBefore);
        if (statusBefore.signedCertificate()) {
            assertThat(identity.clientTlsContext()).isNotNull();
        }
    }

    private DeviceKeystore loadPrevious() throws Exception {
        Path copy = temp.resolve("previous");
        Files.createDirectories(copy);
        Files.copy(dir.resolve(DeviceKeystore.PREVIOUS), copy.resolve(DeviceKeystore.KEYSTORE));
        Files.copy(dir.resolve(DeviceKeystore.PASSWORD), copy.resolve(DeviceKeystore.PASSWORD));
        return DeviceKeystore.open(copy, GW, new BouncyCastleProvider(), Clock.systemUTC(), new SecureRandom());
    }

    static PublicKey csrKey(String pem) throws Exception {
        return new JcaPKCS10CertificationRequest(parseCsr(pem)).getPublicKey();
    }

    private static PKCS10CertificationRequest parseCsr(String pem) throws Exception {
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject o = reader.readPemObject();
            assertThat(o.getType()).isEqualTo("CERTIFICATE REQUEST");
            return new PKCS10CertificationRequest(o.getContent());
        }
    }

    private static PosixFileAttributes posix(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class);
    }

    static String text(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }
}
