// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Server-side key manager that asks the keystore for the device key and chain at every handshake, so a certificate
 * installed or rotated while the console runs is presented from the next connection on. Server side only: it offers
 * no client key.
 */
final class FollowingKeyManager extends X509ExtendedKeyManager {

    private final Supplier<ServerKeys> current;
    // generations handed to handshakes still in progress; a handshake looks up key and chain after choosing the alias
    private final Map<String, ServerKeys> handedOut = new ConcurrentHashMap<>();

    FollowingKeyManager(Supplier<ServerKeys> current) {
        this.current = current;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        ServerKeys now = current.get();
        return matches(now, keyType) ? new String[] {now.alias()} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerKeys keys = lookUp(alias);
        return keys == null ? null : keys.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerKeys keys = lookUp(alias);
        return keys == null ? null : keys.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String choose(String keyType) {
        ServerKeys now = current.get();
        if (!matches(now, keyType)) {
            return null;
        }
        handedOut.put(now.alias(), now);
        // keep the generation before this one for handshakes that chose it a moment ago; forget older ones
        handedOut.values().removeIf(k -> k.generation() < now.generation() - 1);
        return now.alias();
    }

    private ServerKeys lookUp(String alias) {
        ServerKeys now = current.get();
        return now.alias().equals(alias) ? now : handedOut.get(alias);
    }

    private static boolean matches(ServerKeys keys, String keyType) {
        return keys.key().getAlgorithm().equals(keyType);
    }
}
