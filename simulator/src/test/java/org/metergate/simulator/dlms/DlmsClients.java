// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.net.InetAddress;

import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.TcpConnectionBuilder;

/** jDLMS client connections to simulated meters, as the gateway would open them. */
final class DlmsClients {
    static final int TIMEOUT_MILLIS = 3_000;

    private DlmsClients() {
    }

    static TcpConnectionBuilder base(int port, int clientId) {
        return new TcpConnectionBuilder(InetAddress.getLoopbackAddress())
                .setPort(port)
                .setClientId(clientId)
                .setLogicalDeviceId(DlmsMeterConfig.LOGICAL_DEVICE_ID)
                .setResponseTimeout(TIMEOUT_MILLIS);
    }

    static DlmsConnection publicClient(int port) throws IOException {
        return base(port, DlmsMeterConfig.PUBLIC_CLIENT_ID).build();
    }

    /** Management association: reads the invocation counter first, then uses the next value. */
    static DlmsConnection managementClient(int port, byte[] authenticationKey, byte[] encryptionKey)
            throws IOException {
        return management(base(port, DlmsMeterConfig.MANAGEMENT_CLIENT_ID), port, authenticationKey, encryptionKey)
                .build();
    }

    static TcpConnectionBuilder management(TcpConnectionBuilder builder, int port, byte[] authenticationKey,
            byte[] encryptionKey) throws IOException {
        long counter = readInvocationCounter(port);
        return builder.setSecuritySuite(SecuritySuite.builder()
                .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                .setAuthenticationKey(authenticationKey)
                .setGlobalUnicastEncryptionKey(encryptionKey)
                .build())
                .setSystemTitle("MGC", 1)
                .setFrameCounter(counter + 1);
    }

    static DlmsConnection managementClient(DlmsMeter meter) throws IOException {
        return managementClient(meter.wrapperPort(), meter.config().authenticationKey(),
                meter.config().encryptionKey());
    }

    static AttributeAddress attribute(int classId, String obis, int attributeId) {
        return new AttributeAddress(classId, Obis.code(obis), attributeId);
    }

    static long readInvocationCounter(int port) throws IOException {
        try (DlmsConnection connection = publicClient(port)) {
            GetResult result = connection.get(attribute(1, "0-0:43.1.0.255", 2));
            return ((Number) result.getResultData().getValue()).longValue();
        }
    }
}
