// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.felix.gogo.runtime.Reflective;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.security.MeterKeys;

/** {@code mg:dlms-key} invoked the way Gogo resolves a hyphenated command, over the real encrypted store. */
class DlmsKeyCommandsTest {

    private static final String GAK = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
    private static final String GUEK = "000102030405060708090a0b0c0d0e0f";

    @TempDir
    Path temp;
    private MeterKeys keys;
    private DlmsKeyCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        keys = new MeterKeysComponent(DlmsKeyStore.open(temp, new SecureRandom()), null);
        commands = new DlmsKeyCommands(keys);
    }

    private String run(Object... arguments) throws Exception {
        return String.valueOf(Reflective.invoke(null, commands, "dlms-key", new ArrayList<>(List.of(arguments))));
    }

    @Test
    void storesBothKeysEncryptedAndNeverEchoesThem() throws Exception {
        String a = run("m1", "authentication", GAK.toUpperCase());
        String e = run("m1", "ENCRYPTION", GUEK);

        assertThat(a).startsWith("Stored the authentication key of meter m1").doesNotContainIgnoringCase(GAK);
        assertThat(e).startsWith("Stored the encryption key of meter m1").doesNotContainIgnoringCase(GUEK);
        assertThat(keys.key("m1", MeterKeys.AUTHENTICATION)).contains(HexFormat.of().parseHex(GAK));
        assertThat(keys.key("m1", MeterKeys.ENCRYPTION)).contains(HexFormat.of().parseHex(GUEK));
        assertThat(keys.key("m2", MeterKeys.ENCRYPTION)).isEmpty();
        assertThat(Files.readString(temp.resolve(DlmsKeyStore.KEYS_FILE), StandardCharsets.ISO_8859_1).toLowerCase())
                .doesNotContain(GAK).doesNotContain(GUEK);
    }

    @Test
    void badInputIsExplainedAndNothingIsStored() throws Exception {
        assertThat(run("m1", "authentication")).isEqualTo(DlmsKeyCommands.USAGE);
        assertThat(run("m1", "master", GAK)).contains("'master' is not known").doesNotContain(GAK);
        assertThat(run("m1", "authentication", "zz" + GAK.substring(2))).contains("not hexadecimal")
                .contains("Nothing stored").doesNotContain(GAK.substring(2));
        assertThat(run("m1", "authentication", GAK.substring(2))).contains("has 30 hex digits")
                .contains("Nothing stored");
        assertThat(run("bad/id", "authentication", GAK)).contains("bad/id").contains("Nothing stored");
        assertThat(keys.key("m1", MeterKeys.AUTHENTICATION)).isEmpty();
    }

    @Test
    void saysWhatToCheckWhenTheStoreIsNotRunning() throws Exception {
        commands = new DlmsKeyCommands(null);
        assertThat(run("m1", "authentication", GAK)).isEqualTo(DlmsKeyCommands.INACTIVE);
    }
}
