// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.Subject;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.apache.activemq.artemis.utils.CertificateUtil;

/**
 * Artemis security manager that takes the client's identity from its TLS certificate CN and confines a
 * gateway to its own topic tree: CN {@code gw1} may use {@code mg/v1/gw1/#} only (Artemis writes the
 * MQTT {@code /} as {@code .}, so the address is {@code mg.v1.gw1.#}); the head-end CN may use all of
 * {@code mg/v1/#}, shared subscriptions included. Connections without a certificate are only possible on
 * an explicitly insecure plaintext acceptor and get head-end rights there.
 */
final class GatewayTopicAuthorizer implements ActiveMQSecurityManager5 {

    private static final String ROOT = "mg.v1";
    /** Artemis keeps retained messages in queues under this prefix, checked like the topic itself. */
    private static final String RETAIN_PREFIX = "$sys.mqtt.retain.";
    private static final String UNVERIFIED = "(no certificate)";

    private final String headendCn;

    GatewayTopicAuthorizer(String headendCn) {
        this.headendCn = headendCn;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        X509Certificate[] certs = connection == null ? null : CertificateUtil.getCertsFromConnection(connection);
        String name = certs == null || certs.length == 0 ? UNVERIFIED : commonName(certs[0]);
        if (name == null) {
            return null; // a certificate without CN names no gateway: refuse the connection
        }
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(name));
        return s;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        String name = identity(subject);
        if (name == null) {
            return false;
        }
        if (checkType == CheckType.MANAGE || checkType == CheckType.EDIT || checkType == CheckType.VIEW) {
            return false;
        }
        String topic = topicOf(address);
        if (name.equals(headendCn) || name.equals(UNVERIFIED)) {
            return within(topic, ROOT);
        }
        return within(topic, ROOT + "." + name);
    }

    @Override
    public String getUserFromSubject(Subject subject) {
        return identity(subject);
    }

    @Override
    public boolean validateUser(String user, String password) {
        return false; // only certificate identities are accepted
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

    /** The address part of an address or fully qualified queue name ({@code address::queue}), minus the retain prefix. */
    static String topicOf(String address) {
        String a = address == null ? "" : address;
        int fq = a.indexOf("::");
        if (fq >= 0) {
            a = a.substring(0, fq);
        }
        return a.startsWith(RETAIN_PREFIX) ? a.substring(RETAIN_PREFIX.length()) : a;
    }

    private static boolean within(String topic, String root) {
        return topic.equals(root) || topic.startsWith(root + ".");
    }

    private static String identity(Subject subject) {
        if (subject == null) {
            return null;
        }
        for (Principal p : subject.getPrincipals(UserPrincipal.class)) {
            return p.getName();
        }
        return null;
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    String cn = rdn.getValue().toString();
                    // a CN with '.' or MQTT wildcards would widen the address pattern: refuse it
                    return cn.matches("[A-Za-z0-9_-]{1,64}") ? cn : null;
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
