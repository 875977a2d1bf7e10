// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.simulator.dlms.JwsTokenVerifier;

class TokenSigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void createdOnceKeptPrivateAndTheSameWhenOpenedAgain() throws Exception {
        TokenSigningKey created = TokenSigningKey.openOrCreate(dir.resolve("pki"));
        TokenSigningKey opened = TokenSigningKey.openOrCreate(dir.resolve("pki"));

        assertThat(opened.kid()).isEqualTo(created.kid());
        assertThat(opened.publicKey()).isEqualTo(created.publicKey());
        Path privateFile = dir.resolve("pki").resolve(TokenSigningKey.PRIVATE_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
        // the public file is what the meter simulator's --headend-key reads
        assertThat(JwsTokenVerifier.readPublicKey(Files.readString(created.publicKeyFile())))
                .isEqualTo(created.publicKey());
        assertThat(created.gatewayConfigEntry()).startsWith(created.kid() + "=-----BEGIN PUBLIC KEY-----")
                .endsWith("-----END PUBLIC KEY-----").doesNotContain("\n");
    }

    @Test
    void differentKeysHaveDifferentKids() {
        assertThat(TokenSigningKey.generate().kid()).isNotEqualTo(TokenSigningKey.generate().kid());
    }

    @Test
    void anUnreadableKeyFileIsNamedWithWhatToDo() throws Exception {
        Files.writeString(dir.resolve(TokenSigningKey.PRIVATE_FILE), "not a key");
        assertThatThrownBy(() -> TokenSigningKey.openOrCreate(dir)).hasMessageContaining(
                TokenSigningKey.PRIVATE_FILE).hasMessageContaining("move it away");
    }
}
