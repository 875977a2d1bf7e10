// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

/** What an uplink message is; decides its MQTT topic under {@code mg/v1/{gatewayId}/}. */
public enum MessageKind {
    READING("readings"), EVENT("events"), RECEIPT("credit/receipts"), STATUS("status");

    private final String topic;

    MessageKind(String topic) {
        this.topic = topic;
    }

    /** Topic suffix below the gateway's root. */
    public String topic() {
        return topic;
    }
}
