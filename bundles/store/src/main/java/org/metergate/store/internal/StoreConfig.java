// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Store", description = "Durable outbox of uplink messages (configuration PID "
        + OutboxComponent.PID + ")")
public @interface StoreConfig {

    @AttributeDefinition(name = "Type", description = "sqlite: durable, survives power cuts; memory: lost on"
            + " restart (tests and demos only)", options = {@Option(label = "SQLite", value = "sqlite"),
                @Option(label = "Memory", value = "memory")})
    String type() default "sqlite";

    @AttributeDefinition(name = "Database file", description = "SQLite file; a relative path is resolved"
            + " against the data directory (framework property metergate.data.dir, default 'data')")
    String path() default "metergate.db";

    @AttributeDefinition(name = "Max messages", description = "When reached, the oldest routine readings are"
            + " dropped (and reported); billing values, receipts and alarms never are. At least 3")
    long maxMessages() default 100_000;

    @AttributeDefinition(name = "Max payload bytes", description = "Total payload size limit, same policy as"
            + " max messages. At least 1024")
    long maxPayloadBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Group commit max batch", description = "Most appends committed in one"
            + " transaction (one disk sync), 1..10000; 1 = one transaction per message")
    int groupCommitMaxBatch() default 256;

    @AttributeDefinition(name = "Group commit max delay (ms)", description = "How long the first append of a"
            + " batch waits for others to share its disk sync, 0..1000; 0 = commit whatever is waiting")
    long groupCommitMaxDelayMs() default 2;
}
