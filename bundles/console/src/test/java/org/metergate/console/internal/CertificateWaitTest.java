// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.internal.DeviceKeystore;
import org.metergate.security.testing.TestHeadendPki;

/** The console waits for the device certificate and serves as soon as it is installed, once. */
class CertificateWaitTest {

    @TempDir
    Path temp;

    @Test
    void servesOnceTheCertificateIsInstalled() throws Exception {
        DeviceKeystore identity = DeviceKeystore.open(temp.resolve("security"), "gw-7", new BouncyCastleProvider(),
                Clock.systemUTC(), new SecureRandom());
        List<SSLContext> served = new ArrayList<>();
        List<String> told = new ArrayList<>();
        CertificateWait wait = new CertificateWait(identity, served::add, told::add);

        assertThat(wait.attempt()).isFalse();
        assertThat(wait.attempt()).isFalse();
        assertThat(served).isEmpty();
        assertThat(told).as("the reason is logged once, not at every check").hasSize(1);
        assertThat(told.get(0)).contains("no signed device certificate");

        TestHeadendPki headend = new TestHeadendPki("Head-end CA");
        identity.install(headend.chainPem(headend.issueFromCsr(identity.certificationRequest())), headend.rootPem());

        assertThat(wait.attempt()).isTrue();
        assertThat(wait.attempt()).isTrue();
        assertThat(served).hasSize(1);
    }
}
