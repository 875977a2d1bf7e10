// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The validator really rejects documents that break the contract, so passing checks elsewhere mean something. */
class ContractSchemasTest {

    @Test
    void rejectsBrokenDocuments() {
        assertThat(ContractSchemas.errors("readings.json",
                "{\"schema\":\"readings/v1\",\"msgId\":\"x\",\"readings\":[{\"id\":\"1\",\"meter\":\"m1\","
                        + "\"value\":1,\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}]}"))
                .anyMatch(e -> e.contains("obis"));
        assertThat(ContractSchemas.errors("status.json", "{\"schema\":\"status/v1\",\"msgId\":\"x\",\"state\":\"online\"}"))
                .isNotEmpty();
        assertThat(ContractSchemas.errors("cmd-response.json",
                "{\"schema\":\"cmd-response/v1\",\"msgId\":\"x\",\"command\":\"get-status\",\"ok\":false}"))
                .isNotEmpty();
        assertThat(ContractSchemas.errors("token.json", "{\"schema\":\"token/v1\",\"msgId\":\"x\",\"token\":\"abc\"}"))
                .isNotEmpty();
    }

    @Test
    void acceptsTheExamplesOfTheContract() {
        ContractSchemas.assertValid("status.json", "{\"schema\":\"status/v1\",\"msgId\":\"x\",\"state\":\"offline\"}");
        ContractSchemas.assertValid("token.json",
                "{\"schema\":\"token/v1\",\"msgId\":\"x\",\"token\":\"eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiIxIn0.c2ln\"}");
        ContractSchemas.assertValid("cmd-request.json", "{\"schema\":\"cmd/v1\",\"msgId\":\"q\",\"meter\":\"m1\"}");
    }
}
