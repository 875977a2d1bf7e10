// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlmsKeyStoreTest {

    private static final byte[] GUEK = HexFormat.of().parseHex("000102030405060708090A0B0C0D0E0F");
    private static final byte[] GAK = HexFormat.of().parseHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");

    @TempDir
    Path temp;

    @Test
    void keysRoundTripAcrossRestartsAndAreNotReadableOnDisk() throws Exception {
        Path dir = temp.resolve("security");
        DlmsKeyStore store = DlmsKeyStore.open(dir, new SecureRandom());
        store.put("LGZ-12345678", "guek", GUEK);
        store.put("LGZ-12345678", "gak", GAK);
        store.put("ISK:0001", "guek", GAK);

        DlmsKeyStore reopened = DlmsKeyStore.open(dir, new SecureRandom());
        assertThat(reopened.get("LGZ-12345678", "guek")).contains(GUEK);
        assertThat(reopened.get("LGZ-12345678", "gak")).contains(GAK);
        assertThat(reopened.get("ISK:0001", "guek")).contains(GAK);
        assertThat(reopened.get("LGZ-12345678", "master")).isEmpty();
        assertThat(reopened.get("other", "guek")).isEmpty();

        byte[] raw = Files.readAllBytes(dir.resolve(DlmsKeyStore.KEYS_FILE));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(indexOf(raw, GUEK)).isNegative();
        assertThat(indexOf(raw, GAK)).isNegative();
        assertThat(text.toLowerCase()).doesNotContain(HexFormat.of().formatHex(GUEK))
                .doesNotContain(HexFormat.of().formatHex(GAK));
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(GUEK))
                .doesNotContain(Base64.getEncoder().encodeToString(GAK));
        assertThat(Files.readAttributes(dir.resolve(DlmsKeyStore.KEK_FILE), PosixFileAttributes.class).permissions())
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readAttributes(dir.resolve(DlmsKeyStore.KEYS_FILE), PosixFileAttributes.class)
                .permissions()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aCiphertextMovedToAnotherMeterDoesNotDecrypt() throws Exception {
        DlmsKeyStore store = DlmsKeyStore.open(temp, new SecureRandom());
        store.put("meter-a", "guek", GUEK);
        store.put("meter-b", "guek", GAK);
        Path file = temp.resolve(DlmsKeyStore.KEYS_FILE);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        String a = value(text, "meter-a/guek");
        String b = value(text, "meter-b/guek");
        Files.writeString(file, text.replace(b, a), StandardCharsets.ISO_8859_1);

        assertThat(store.get("meter-a", "guek")).contains(GUEK);
        assertThatThrownBy(() -> store.get("meter-b", "guek")).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("meter-b").hasMessageContaining("cannot be decrypted");
    }

    @Test
    void anotherKeyEncryptionKeyCannotDecrypt() throws Exception {
        DlmsKeyStore.open(temp, new SecureRandom()).put("meter-a", "guek", GUEK);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.write(temp.resolve(DlmsKeyStore.KEK_FILE), Base64.getEncoder().encode(other));

        assertThatThrownBy(() -> DlmsKeyStore.open(temp, new SecureRandom()).get("meter-a", "guek"))
                .hasMessageContaining("dlms.kek was replaced");
    }

    @Test
    void refusesToStartFreshWhenOnlyTheKeyEncryptionKeyIsLost() throws Exception {
        DlmsKeyStore.open(temp, new SecureRandom()).put("meter-a", "guek", GUEK);
        Files.delete(temp.resolve(DlmsKeyStore.KEK_FILE));

        assertThatThrownBy(() -> DlmsKeyStore.open(temp, new SecureRandom())).hasMessageContaining("dlms.kek")
                .hasMessageContaining("is missing");
        assertThat(temp.resolve(DlmsKeyStore.KEK_FILE)).doesNotExist();
    }

    @Test
    void rejectsKeysOfTheWrongLengthAndBadNames() throws Exception {
        DlmsKeyStore store = DlmsKeyStore.open(temp, new SecureRandom());

        assertThatThrownBy(() -> store.put("meter-a", "guek", new byte[15])).hasMessageContaining("got 15");
        assertThatThrownBy(() -> store.put("meter/a", "guek", GUEK)).hasMessageContaining("meter id 'meter/a'");
        assertThatThrownBy(() -> store.put("meter-a", "gu ek", GUEK)).hasMessageContaining("key name 'gu ek'");
        assertThat(store.get("meter-a", "guek")).isEmpty();
    }

    private static String value(String properties, String key) {
        return properties.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow()
                .substring(key.length() + 1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
