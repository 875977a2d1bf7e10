// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The AsyncAPI document stays consistent with the schema files and the topics the link uses. */
class AsyncApiDocumentTest {

    private static final Path DOC = ContractSchemas.DIR.getParent().resolve("asyncapi.yaml");

    @Test
    void everySchemaReferenceExistsAndEveryTopicIsUnderTheGatewayRoot() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(DOC));
        assertThat(doc.get("asyncapi").asString()).isEqualTo("3.0.0");

        List<String> refs = new ArrayList<>();
        doc.get("components").get("messages").forEach(m -> refs.add(m.get("payload").get("schema").get("$ref").asString()));
        assertThat(refs).hasSize(7);
        for (String ref : refs) {
            assertThat(DOC.getParent().resolve(ref)).exists();
        }

        List<String> addresses = new ArrayList<>();
        doc.get("channels").forEach(c -> {
            if (!c.get("address").isNull()) {
                addresses.add(c.get("address").asString());
            }
        });
        assertThat(addresses).allMatch(a -> a.startsWith("mg/v1/{gatewayId}/"))
                .contains("mg/v1/{gatewayId}/" + org.metergate.api.outbox.MessageKind.READING.topic(),
                        "mg/v1/{gatewayId}/" + org.metergate.api.outbox.MessageKind.EVENT.topic(),
                        "mg/v1/{gatewayId}/" + org.metergate.api.outbox.MessageKind.RECEIPT.topic(),
                        "mg/v1/{gatewayId}/" + org.metergate.api.outbox.MessageKind.STATUS.topic(),
                        "mg/v1/{gatewayId}/credit/tokens", "mg/v1/{gatewayId}/cmd/{command}");
    }
}
