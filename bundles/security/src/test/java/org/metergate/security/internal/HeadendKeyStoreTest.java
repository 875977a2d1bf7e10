// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadendKeyStoreTest {

    @TempDir
    Path temp;

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static String publicPem(KeyPair pair) {
        return Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    @Test
    void keysAreAddedListedRemovedAndSurviveARestart() throws Exception {
        Path dir = temp.resolve("security");
        HeadendKeyStore store = HeadendKeyStore.open(dir);
        KeyPair first = ec("secp256r1");
        KeyPair second = ec("secp256r1");
        assertThat(store.keys()).isEmpty();
        long before = store.version();

        assertThat(store.add("headend-2026", publicPem(first), "first.pem")).isTrue();
        assertThat(store.add("headend-2027", publicPem(second), "second.pem")).isTrue();
        assertThat(store.version()).isGreaterThan(before);
        assertThat(store.keys()).containsOnlyKeys("headend-2026", "headend-2027");
        assertThat(store.keys().get("headend-2026").getEncoded()).isEqualTo(first.getPublic().getEncoded());

        HeadendKeyStore reopened = HeadendKeyStore.open(dir);
        assertThat(reopened.keys()).containsOnlyKeys("headend-2026", "headend-2027");
        assertThat(reopened.keys().get("headend-2027").getEncoded()).isEqualTo(second.getPublic().getEncoded());

        long beforeRemove = reopened.version();
        assertThat(reopened.remove("headend-2026")).isTrue();
        assertThat(reopened.remove("headend-2026")).isFalse();
        assertThat(reopened.version()).isGreaterThan(beforeRemove);
        assertThat(HeadendKeyStore.open(dir).keys()).containsOnlyKeys("headend-2027");
    }

    @Test
    void replacingAKidKeepsOneEntry() throws Exception {
        HeadendKeyStore store = HeadendKeyStore.open(temp);
        KeyPair replacement = ec("secp256r1");
        store.add("k1", publicPem(ec("secp256r1")), "a.pem");
        assertThat(store.add("k1", publicPem(replacement), "b.pem")).isFalse();
        assertThat(store.keys().get("k1").getEncoded()).isEqualTo(replacement.getPublic().getEncoded());
    }

    @Test
    void badInputIsRefusedWithAReasonAndNothingIsStored() throws Exception {
        HeadendKeyStore store = HeadendKeyStore.open(temp);
        String good = publicPem(ec("secp256r1"));

        assertThatThrownBy(() -> store.add("k1", "not a pem file", "the file k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the file k.pem")
                .hasMessageContaining("BEGIN PUBLIC KEY");
        assertThatThrownBy(() -> store.add("k1", "-----BEGIN PUBLIC KEY-----\nMFkw!!\n-----END PUBLIC KEY-----\n",
                "the file k.pem")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k.pem");
        assertThatThrownBy(() -> store.add("k1", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                "the file k.pem")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an EC public key");
        assertThatThrownBy(() -> store.add("k1", publicPem(ec("secp384r1")), "the file k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other than P-256");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> store.add("k1", publicPem(rsa.generateKeyPair()), "the file k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an EC public key");
        KeyPair pair = ec("secp256r1");
        assertThatThrownBy(() -> store.add("k1", Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()),
                "the file k.pem")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> store.add("bad kid", good, "the file k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kid 'bad kid'");
        assertThatThrownBy(() -> store.add("x".repeat(65), good, "the file k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64");

        assertThat(store.keys()).isEmpty();
        assertThat(store.version()).isZero();
        assertThat(Files.exists(temp.resolve(HeadendKeyStore.KEYS_FILE))).isFalse();
    }

    @Test
    void aDamagedFileIsReportedAtOpen() throws Exception {
        Files.writeString(temp.resolve(HeadendKeyStore.KEYS_FILE), "k1=AAAA\n", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> HeadendKeyStore.open(temp)).hasMessageContaining("damaged at kid 'k1'");
    }
}
