// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password and setup code on disk: hashed, owner-only, single use, kept across restarts. */
class CredentialsTest {

    private static final String PASSWORD = "meter-room-42";

    @TempDir
    Path temp;
    private final SecureRandom random = new SecureRandom();

    private Credentials open(Path directory) throws Exception {
        return Credentials.open(new OwnerOnlyFiles(directory),
                new PasswordHash(random, PasswordHash.DEFAULT_ITERATIONS), new SetupCodes(random));
    }

    @Test
    void thePasswordIsStoredAsASaltedSlowHash() throws Exception {
        Path first = temp.resolve("a");
        Credentials credentials = open(first);
        credentials.completeSetup(credentials.setupCode().orElseThrow(), PASSWORD.toCharArray(),
                PASSWORD.toCharArray());

        String stored = Files.readString(first.resolve(Credentials.PASSWORD_FILE)).strip();
        assertThat(stored).startsWith("pbkdf2-sha256$310000$").doesNotContain(PASSWORD);
        assertThat(stored.split("\\$")).hasSize(4);
        assertThat(credentials.verify(PASSWORD.toCharArray())).isTrue();
        assertThat(credentials.verify("meter-room-43".toCharArray())).isFalse();
        assertThat(credentials.verify(new char[0])).isFalse();

        Path second = temp.resolve("b");
        Credentials other = open(second);
        other.completeSetup(other.setupCode().orElseThrow(), PASSWORD.toCharArray(), PASSWORD.toCharArray());
        assertThat(Files.readString(second.resolve(Credentials.PASSWORD_FILE)).strip())
                .as("same password, different salt").isNotEqualTo(stored);
    }

    @Test
    void filesAreReadableByTheOwnerOnly() throws Exception {
        Path directory = temp.resolve("data").resolve("console");
        Credentials credentials = open(directory);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        Path code = directory.resolve(Credentials.SETUP_CODE_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(code))).isEqualTo("rw-------");

        credentials.completeSetup(credentials.setupCode().orElseThrow(), PASSWORD.toCharArray(),
                PASSWORD.toCharArray());
        Path password = directory.resolve(Credentials.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Credentials.PASSWORD_FILE);
        }
    }

    @Test
    void aWiderDirectoryIsReported() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("console"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(new OwnerOnlyFiles(directory).widerThanOwner()).isTrue();
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        assertThat(new OwnerOnlyFiles(directory).widerThanOwner()).isFalse();
    }

    @Test
    void thePrintedCodeStaysValidUntilUsedAndThePasswordSurvivesARestart() throws Exception {
        Path directory = temp.resolve("console");
        String code = open(directory).setupCode().orElseThrow();
        assertThat(code).matches("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}");
        assertThat(Files.readString(directory.resolve(Credentials.SETUP_CODE_FILE)).strip()).isEqualTo(code);

        Credentials restarted = open(directory);
        assertThat(restarted.setupCode()).hasValue(code);
        restarted.completeSetup(code, PASSWORD.toCharArray(), PASSWORD.toCharArray());

        Credentials again = open(directory);
        assertThat(again.passwordSet()).isTrue();
        assertThat(again.setupCode()).isEmpty();
        assertThat(again.verify(PASSWORD.toCharArray())).isTrue();
        assertThatThrownBy(() -> again.completeSetup(code, "new-password-1".toCharArray(),
                "new-password-1".toCharArray())).isInstanceOf(RefusedException.class)
                .hasMessageContaining("works only once");
        assertThat(again.verify(PASSWORD.toCharArray())).isTrue();
    }

    @Test
    void aCodeLeftOverFromACrashAfterTheSetupIsRemoved() throws Exception {
        Path directory = temp.resolve("console");
        Credentials credentials = open(directory);
        String code = credentials.setupCode().orElseThrow();
        credentials.completeSetup(code, PASSWORD.toCharArray(), PASSWORD.toCharArray());
        new OwnerOnlyFiles(directory).write(Credentials.SETUP_CODE_FILE, code);

        assertThat(open(directory).setupCode()).isEmpty();
        assertThat(Files.exists(directory.resolve(Credentials.SETUP_CODE_FILE))).isFalse();
    }

    @Test
    void refusalsChangeNothing() throws Exception {
        Credentials credentials = open(temp.resolve("console"));
        String code = credentials.setupCode().orElseThrow();
        assertThatThrownBy(() -> credentials.completeSetup("ABCD-EFGH-JKMN".equals(code) ? "ABCD-EFGH-JKMP"
                : "ABCD-EFGH-JKMN", PASSWORD.toCharArray(), PASSWORD.toCharArray()))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.wrongSecret()).isTrue());
        assertThatThrownBy(() -> credentials.completeSetup(code, "short".toCharArray(), "short".toCharArray()))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.wrongSecret()).isFalse());
        assertThat(credentials.passwordSet()).isFalse();
        assertThat(credentials.setupCode()).hasValue(code);
    }

    @Test
    void aDamagedHashIsAnErrorNotAMatch() {
        assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), "plain-text-password"))
                .hasMessageContaining("not a pbkdf2-sha256 hash");
        assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), "pbkdf2-sha256$many$AAAA$AAAA"))
                .hasMessageContaining("damaged");
    }
}
