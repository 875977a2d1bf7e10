// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** ConfigAdmin configuration of the head-end link, PID {@value HeadendComponent#PID}. */
@ObjectClassDefinition(name = "Metergate head-end link",
        description = "MQTT 5 connection to the head-end broker (mutual TLS, QoS 1, persistent session).")
public @interface HeadendConfig {

    @AttributeDefinition(name = "Broker URI", description = "ssl://host:8883; tcp:// only with insecurePlaintext")
    String brokerUri() default "ssl://localhost:8883";

    @AttributeDefinition(name = "Session expiry (s)",
            description = "How long the broker keeps the session (subscriptions, queued commands) while the link is down")
    long sessionExpirySeconds() default 604_800;

    @AttributeDefinition(name = "Offline delay (s)",
            description = "MQTT 5 will delay: the broker announces the gateway offline only after the link has been"
                    + " down this long, so short drops do not flap. Keep it at 1 or more: ActiveMQ Artemis never"
                    + " sends a will with delay 0 while the session is kept", min = "0")
    long willDelaySeconds() default 5;

    @AttributeDefinition(name = "Keep-alive (s)", min = "5", max = "65535")
    int keepAliveSeconds() default 60;

    @AttributeDefinition(name = "Readings per message",
            description = "Most readings (single register values) in one readings message. A readout is never split"
                    + " across messages: one with more readings than this is sent alone", min = "1", max = "10000")
    int batchMaxReadings() default 500;

    @AttributeDefinition(name = "Bytes per message",
            description = "Most bytes of JSON in one readings message (before compression), so a backlog never"
                    + " builds a message larger than the gateway's memory or the broker's limit allows. A readout is"
                    + " never split: one larger than this is sent alone", min = "1024", max = "16777216")
    int batchMaxBytes() default 65_536;

    @AttributeDefinition(name = "Compress readings",
            description = "Send readings messages gzipped (MQTT 5 user property content-encoding: gzip, see"
                    + " docs/mqtt-contract), about a tenth of the bytes of plain JSON. Events, receipts, status and"
                    + " command responses always go plain. Turn off (false) for a head-end that cannot inflate")
    boolean compressReadings() default true;

    @AttributeDefinition(name = "Batch age (ms)",
            description = "A readings message that is not full yet is sent once its oldest reading waited this long",
            min = "0")
    long batchMaxAgeMs() default 5_000;

    @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "300")
    int connectTimeoutSeconds() default 30;

    @AttributeDefinition(name = "First reconnect delay (s)", min = "1")
    int reconnectInitialSeconds() default 2;

    @AttributeDefinition(name = "Longest reconnect delay (s)", min = "1")
    int reconnectMaxSeconds() default 300;

    @AttributeDefinition(name = "Messages in flight",
            description = "MQTT messages sent and awaiting the broker's PUBACK at once (each a readings message or one"
                    + " event, receipt or status)",
            min = "1", max = "1000")
    int inflightWindow() default 16;

    @AttributeDefinition(name = "Outbox poll (ms)", description = "How often an idle link looks for new messages",
            min = "10", max = "60000")
    long outboxPollMs() default 250;

    @AttributeDefinition(name = "Insecure plaintext (development only)",
            description = "Allows tcp:// without TLS. Never use in the field: anyone on the path can read and forge traffic.")
    boolean insecurePlaintext() default false;
}
