// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadendKeyCommandsTest {

    @TempDir
    Path temp;

    @Test
    void addListRemoveThroughTheCommand() throws Exception {
        HeadendKeyStore store = HeadendKeyStore.open(temp.resolve("security"));
        List<String> audit = new ArrayList<>();
        HeadendKeyCommands commands = new HeadendKeyCommands(store, audit::add);
        Path pem = Files.writeString(temp.resolve("headend.pem"),
                HeadendKeyStoreTest.publicPem(HeadendKeyStoreTest.ec("secp256r1")));

        assertThat(commands._main("headend-key", "list")).startsWith("No head-end token key held");
        assertThat(commands._main("headend-key", "add", "headend-2026", pem.toString()))
                .startsWith("head-end key 'headend-2026' added, sha256:");
        assertThat(commands._main("headend-key", "list"))
                .isEqualTo("headend-2026  P-256  sha256:" + HeadendKeyCommands.fingerprint(store.keys().get("headend-2026")));
        assertThat(commands._main("headend-key", "remove", "headend-2026")).contains("removed");
        assertThat(commands._main("headend-key", "remove", "headend-2026")).startsWith("No head-end key");
        assertThat(store.keys()).isEmpty();
        assertThat(audit).hasSize(2);
    }

    @Test
    void badArgumentsAndFilesAreExplained() throws Exception {
        HeadendKeyStore store = HeadendKeyStore.open(temp);
        HeadendKeyCommands commands = new HeadendKeyCommands(store, m -> { });
        Path p384 = Files.writeString(temp.resolve("p384.pem"),
                HeadendKeyStoreTest.publicPem(HeadendKeyStoreTest.ec("secp384r1")));

        assertThat(commands._main("headend-key")).isEqualTo(HeadendKeyCommands.USAGE);
        assertThat(commands._main("headend-key", "add", "k1")).isEqualTo(HeadendKeyCommands.USAGE);
        assertThat(commands._main("headend-key", "add", "k1", temp.resolve("missing.pem").toString()))
                .startsWith("No file").endsWith("Nothing stored.");
        assertThat(commands._main("headend-key", "add", "k1", p384.toString()))
                .contains("other than P-256").endsWith("Nothing stored.");
        assertThat(store.keys()).isEmpty();
    }
}
