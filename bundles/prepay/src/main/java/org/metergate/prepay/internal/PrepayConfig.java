// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metergate prepay",
        description = "Verifies signed credit tokens from the head-end and applies each to its meter exactly once.")
public @interface PrepayConfig {

    @AttributeDefinition(name = "Head-end public keys",
            description = "kid=<PEM public key> per entry (P-256, for ES256); tokens must name one of these kids")
    String[] headendPublicKeys() default {};

    @AttributeDefinition(name = "Currency", description = "ISO 4217 code every token must carry, e.g. EUR")
    String currency() default "EUR";

    @AttributeDefinition(name = "Largest amount (minor units)",
            description = "Tokens above this are rejected (catches a mistyped amount); 100000 = 1000.00")
    long maxAmountMinor() default 100_000L;

    @AttributeDefinition(name = "Clock skew (s)", description = "Tolerance on iat and exp, 0..3600")
    int clockSkewSeconds() default 300;

    @AttributeDefinition(name = "Meter aliases",
            description = "serialOrSystemTitle=meterId, when tokens name a meter by something other than its id")
    String[] meterAliases() default {};

    @AttributeDefinition(name = "First retry after (s)",
            description = "Wait before retrying an unreachable meter; doubles per failure")
    int retryInitialSeconds() default 10;

    @AttributeDefinition(name = "Longest retry wait (s)", description = "Cap for the doubling retry wait")
    int retryMaxSeconds() default 600;

    @AttributeDefinition(name = "Token status poll (ms)",
            description = "Interval between reads of the token gateway status while the meter processes a token")
    int statusPollMillis() default 500;

    @AttributeDefinition(name = "Token processing limit (s)",
            description = "Longest wait for the meter to process an entered token before trying again later")
    int statusPollLimitSeconds() default 60;

    @AttributeDefinition(name = "Event poll (s)",
            description = "How often each DLMS meter's event log is read for low-credit, credit-exhausted, disconnect"
                    + " and reconnect events (also read after every token); each read is one association with the"
                    + " meter; 0 = only after tokens, at most 86400")
    int eventPollSeconds() default 300;
}
