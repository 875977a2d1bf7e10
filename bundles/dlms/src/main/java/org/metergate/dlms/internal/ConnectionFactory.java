// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.metergate.api.link.LinkAddress;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.ConnectionBuilder;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.SerialConnectionBuilder;
import org.openmuc.jdlms.TcpConnectionBuilder;

/** Builds jDLMS associations over the configured link: TCP wrapper, HDLC over TCP, or HDLC on a serial line. */
final class ConnectionFactory {

    private ConnectionFactory() {
    }

    /** Association details that differ between the public client and the configured client. */
    record Association(int clientId, DlmsKeys.ClientKeys keys, long frameCounter, TrafficObserver observer) {
    }

    static DlmsConnection connect(DlmsSettings s, Association a) throws IOException {
        ConnectionBuilder<?> builder;
        LinkAddress link = s.link();
        int timeout = (int) s.responseTimeout().toMillis();
        if (link.kind() == LinkAddress.Kind.TCP) {
            InetAddress address = InetAddress.getByName(link.host());
            probe(address, link.port(), timeout);
            TcpConnectionBuilder tcp = new TcpConnectionBuilder(address).setPort(link.port());
            builder = s.hdlc() ? tcp.useHdlc() : tcp.useWrapper();
        } else {
            // jDLMS opens the port through org.openmuc.jrxtx, which the jrxtx-compat bundle provides
            builder = new SerialConnectionBuilder(link.device()).setBaudRate(s.baudRate()).disableHandshake();
        }
        builder.setHdlcMaxInformationLength(s.hdlcMaxInformationLength());
        builder.setLogicalDeviceId(s.logicalDevice())
                .setPhysicalDeviceAddress(s.physicalAddress())
                .setClientId(a.clientId())
                .setResponseTimeout(timeout)
                .setRawMessageListener(a.observer());
        byte[] title = s.clientSystemTitle();
        builder.setSystemTitle(new String(title, 0, 3, StandardCharsets.ISO_8859_1), deviceIdOf(title));
        if (a.keys() != null) {
            builder.setSecuritySuite(SecuritySuite.builder()
                    .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                    .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                    .setAuthenticationKey(a.keys().authenticationKey())
                    .setGlobalUnicastEncryptionKey(a.keys().encryptionKey())
                    .build())
                    .setFrameCounter(a.frameCounter());
        }
        return builder.build();
    }

    /**
     * jDLMS opens its socket without a connect timeout; an unreachable serial server would block for minutes.
     * A bounded connect first turns that into a quick, clear failure.
     */
    private static void probe(InetAddress address, int port, int timeoutMs) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMs);
        }
    }

    private static long deviceIdOf(byte[] title) {
        long id = 0;
        for (int i = 3; i < 8; i++) {
            id = (id << 8) | (title[i] & 0xFF);
        }
        return id;
    }
}
