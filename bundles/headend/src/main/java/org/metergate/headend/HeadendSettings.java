// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/** Validated link settings; built from {@link HeadendConfig} or directly by tests. */
public record HeadendSettings(String brokerUri, long sessionExpirySeconds, int keepAliveSeconds, int batchMaxReadings,
        int batchMaxBytes, Duration batchMaxAge, int connectTimeoutSeconds, Duration reconnectInitial,
        Duration reconnectMax, int inflightWindow, Duration outboxPoll, boolean insecurePlaintext, long willDelaySeconds,
        boolean compressReadings) {

    /** Smallest byte limit of a readings message: room for the envelope and a few readings. */
    static final int MIN_BATCH_BYTES = 1024;
    /** Largest byte limit of a readings message: the window holds this many bytes per message in flight. */
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    /** Settings with readings batches compressed (the default of {@link HeadendConfig#compressReadings()}). */
    public HeadendSettings(String brokerUri, long sessionExpirySeconds, int keepAliveSeconds, int batchMaxReadings,
            int batchMaxBytes, Duration batchMaxAge, int connectTimeoutSeconds, Duration reconnectInitial,
            Duration reconnectMax, int inflightWindow, Duration outboxPoll, boolean insecurePlaintext,
            long willDelaySeconds) {
        this(brokerUri, sessionExpirySeconds, keepAliveSeconds, batchMaxReadings, batchMaxBytes, batchMaxAge,
                connectTimeoutSeconds, reconnectInitial, reconnectMax, inflightWindow, outboxPoll, insecurePlaintext,
                willDelaySeconds, true);
    }

    /** @throws IllegalArgumentException naming the bad key, its value and what to use instead */
    public HeadendSettings {
        if (brokerUri == null || brokerUri.isBlank()) {
            throw new IllegalArgumentException("brokerUri is empty: set it to ssl://<broker host>:8883");
        }
        brokerUri = brokerUri.trim();
        String scheme = scheme(brokerUri);
        if (scheme.equals("tcp")) {
            if (!insecurePlaintext) {
                throw new IllegalArgumentException("brokerUri " + brokerUri + " is plaintext: use ssl://<host>:8883"
                        + " (insecurePlaintext=true allows tcp:// for development only)");
            }
        } else if (!scheme.equals("ssl")) {
            throw new IllegalArgumentException("brokerUri " + brokerUri + " has scheme '" + scheme
                    + "': use ssl://<host>:8883");
        }
        if (sessionExpirySeconds <= 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds must be 1.." + 0xFFFF_FFFFL + " (not "
                    + sessionExpirySeconds + "): with 0 the broker forgets the session at the first network error");
        }
        requireRange("keepAliveSeconds", keepAliveSeconds, 5, 65_535);
        requireRange("batchMaxReadings", batchMaxReadings, 1, 10_000);
        requireRange("batchMaxBytes", batchMaxBytes, MIN_BATCH_BYTES, MAX_BATCH_BYTES);
        requireRange("connectTimeoutSeconds", connectTimeoutSeconds, 1, 300);
        requireRange("inflightWindow", inflightWindow, 1, 1000);
        if (batchMaxAge == null || batchMaxAge.isNegative()) {
            throw new IllegalArgumentException("batchMaxAgeMs must be 0 or more");
        }
        if (reconnectInitial == null || reconnectInitial.isNegative() || reconnectInitial.isZero()
                || reconnectMax == null || reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException("reconnect delays must be positive and reconnectMaxSeconds >= "
                    + "reconnectInitialSeconds (now " + reconnectInitial + " and " + reconnectMax + ")");
        }
        if (willDelaySeconds < 0 || willDelaySeconds > sessionExpirySeconds) {
            throw new IllegalArgumentException("willDelaySeconds must be 0.." + sessionExpirySeconds
                    + " (the session expiry), not " + willDelaySeconds);
        }
        if (outboxPoll == null || outboxPoll.toMillis() < 1) {
            throw new IllegalArgumentException("outboxPollMs must be at least 1");
        }
    }

    public static HeadendSettings from(HeadendConfig c) {
        return new HeadendSettings(c.brokerUri(), c.sessionExpirySeconds(), c.keepAliveSeconds(),
                c.batchMaxReadings(), c.batchMaxBytes(), Duration.ofMillis(c.batchMaxAgeMs()),
                c.connectTimeoutSeconds(), Duration.ofSeconds(c.reconnectInitialSeconds()),
                Duration.ofSeconds(c.reconnectMaxSeconds()), c.inflightWindow(), Duration.ofMillis(c.outboxPollMs()),
                c.insecurePlaintext(), c.willDelaySeconds(), c.compressReadings());
    }

    public boolean usesTls() {
        return scheme(brokerUri).equals("ssl");
    }

    private static String scheme(String uri) {
        try {
            URI u = new URI(uri);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("brokerUri '" + uri + "' needs a scheme and host, e.g. ssl://broker.example:8883");
            }
            return u.getScheme().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("brokerUri '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
    }

    private static void requireRange(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", not " + v);
        }
    }
}
