// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The device key and the chain a TLS server presents, as of one keystore change. {@code generation} grows with each
 * change, so a handshake that chose one generation finds the same key and chain even if a rotation lands meanwhile.
 */
record ServerKeys(long generation, PrivateKey key, X509Certificate[] chain) {

    String alias() {
        return "device-" + generation;
    }

    X509Certificate certificate() {
        return chain[0];
    }
}
