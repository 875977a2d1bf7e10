// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.gogo.runtime.Reflective;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;

/** Commands invoked the way the Gogo shell resolves them (method by name, hyphenated names through _main). */
class IdentityCommandsTest {

    @TempDir
    Path temp;
    private DeviceKeystore identity;
    private IdentityCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        identity = DeviceKeystore.open(temp.resolve("security"), "gw-3", new BouncyCastleProvider(),
                Clock.systemUTC(), new SecureRandom());
        commands = new IdentityCommands(identity);
    }

    private String run(String command, Object... arguments) throws Exception {
        return String.valueOf(Reflective.invoke(null, commands, command, new ArrayList<>(List.of(arguments))));
    }

    @Test
    void commissioningFromTheShell() throws Exception {
        assertThat(run("identity")).contains("gw-3").contains("none yet");
        String csr = run("csr");
        assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----");

        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        Path chain = Files.writeString(temp.resolve("chain.pem"), headend.chainPem(headend.issueFromCsr(csr)));
        Path ca = Files.writeString(temp.resolve("ca.pem"), headend.rootPem());

        assertThat(run("install-cert", chain.toString(), ca.toString())).startsWith("installed certificate");
        assertThat(run("identity")).contains("issued by:         CN=Head-end CA");

        assertThat(run("rotate")).contains("New key created");
        assertThat(run("identity")).contains("rotation:");
        assertThat(run("cancel-rotation")).contains("Pending key discarded");
        assertThat(run("identity")).doesNotContain("rotation:");
    }

    @Test
    void installProblemsAreExplainedNotThrown() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        Path chain = Files.writeString(temp.resolve("chain.pem"),
                headend.chainPem(headend.issueFromCsr(new TestHeadendPki("x").commission(temp.resolve("other"),
                        "gw-3").certificationRequest())));
        Path ca = Files.writeString(temp.resolve("ca.pem"), headend.rootPem());

        assertThat(run("install-cert", chain.toString(), ca.toString()))
                .startsWith("Certificate NOT installed, the current identity is unchanged")
                .contains("does not match this gateway's device key");
        assertThat(run("install-cert", temp.resolve("missing.pem").toString(), ca.toString()))
                .startsWith("File not found").contains("missing.pem");
        assertThat(run("install-cert", chain.toString())).startsWith("usage: mg:install-cert");
    }

    @Test
    void saysWhatToCheckWhenTheIdentityIsNotRunning() throws Exception {
        commands = new IdentityCommands(null);

        assertThat(run("identity")).isEqualTo(IdentityCommands.INACTIVE);
        assertThat(run("csr")).isEqualTo(IdentityCommands.INACTIVE);
        assertThat(run("install-cert", "a", "b")).isEqualTo(IdentityCommands.INACTIVE);
    }
}
