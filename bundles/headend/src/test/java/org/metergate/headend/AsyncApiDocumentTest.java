// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import org.metergate.testing.MqttContractSchemas;

/** The AsyncAPI document stays consistent with the schema files and the topics the link uses. */
class AsyncApiDocumentTest {

    private static final Path DOC = MqttContractSchemas.DIR.getParent().resolve("asyncapi.yaml");

    @Test
    void everySchemaReferenceExistsAndEveryTopicIsUnderTheGatewayRoot() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(DOC));
        assertThat(doc.get("asyncapi").asString()).isEqualTo("3.0.0");

        List<String> refs = new ArrayList<>();
        doc.get("components").get("messages").forEach(m -> refs.add(m.get("payload").get("schema").get("$ref").asString()));
        assertThat(refs).hasSize(8);
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

    @Test
    void everySchemaFileIsPartOfTheDocumentAndEveryFileReferenceResolves() throws Exception {
        String text = Files.readString(DOC);
        JsonNode doc = new YAMLMapper().readTree(text);
        List<String> fileRefs = new ArrayList<>();
        collectFileRefs(doc, fileRefs);
        assertThat(fileRefs).isNotEmpty().allSatisfy(ref -> assertThat(DOC.getParent().resolve(ref)).exists());

        // each schema file is named by the document or referenced by another schema (reading.json by readings.json)
        List<Path> schemaFiles;
        try (Stream<Path> files = Files.list(MqttContractSchemas.DIR)) {
            schemaFiles = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        StringBuilder schemaTexts = new StringBuilder();
        for (Path f : schemaFiles) {
            schemaTexts.append(Files.readString(f));
        }
        assertThat(schemaFiles).isNotEmpty().allSatisfy(f -> {
            String name = f.getFileName().toString();
            assertThat(text.contains("./schemas/" + name) || schemaTexts.indexOf("\"$ref\": \"" + name + "\"") >= 0
                    || schemaTexts.indexOf("\"$ref\": \"" + MqttContractSchemas.BASE + name + "\"") >= 0)
                    .as("schemas/%s is named in asyncapi.yaml or referenced by another schema", name).isTrue();
        });
    }

    @Test
    void dailyValuesAndClockDriftAreDescribed() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(DOC));
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("daily").get("schema").get("$ref").asString()).isEqualTo("./schemas/daily.json");
        assertThat(schemas.get("clockDriftEvent").get("schema").get("$ref").asString())
                .isEqualTo("./schemas/clock-drift-event.json");

        // the examples of the document are valid instances of the schemas they illustrate
        JsonNode readings = doc.get("components").get("messages").get("readings").get("examples");
        JsonNode dailyBatch = null;
        for (JsonNode example : readings) {
            MqttContractSchemas.assertValid("readings.json", example.get("payload").toString());
            if ("daily".equals(example.path("name").asString(""))) {
                dailyBatch = example.get("payload");
            }
        }
        assertThat(dailyBatch).as("a readings example with a daily document").isNotNull();
        MqttContractSchemas.assertValid("daily.json", dailyBatch.get("readings").get(0).toString());
        JsonNode drift = null;
        for (JsonNode example : doc.get("components").get("messages").get("event").get("examples")) {
            MqttContractSchemas.assertValid("events.json", example.get("payload").toString());
            if ("clock-drift".equals(example.path("name").asString(""))) {
                drift = example.get("payload");
            }
        }
        assertThat(drift).as("an event example of a clock drift").isNotNull();
        MqttContractSchemas.assertValid("clock-drift-event.json", drift.toString());
    }

    @Test
    void compressedReadingsAreDescribedWithTheLinksPropertyAndLimit() throws Exception {
        JsonNode messages = new YAMLMapper().readTree(Files.readString(DOC)).get("components").get("messages");
        JsonNode gzip = messages.get("readingsGzip");
        assertThat(gzip.get("payload").get("schema").get("$ref").asString()).isEqualTo("./schemas/readings.json");
        assertThat(gzip.get("contentType").asString()).isEqualTo(MqttSession.JSON);
        assertThat(gzip.get("headers").get("required").get(0).asString()).isEqualTo(ReadingsCompression.PROPERTY);
        assertThat(gzip.get("headers").get("properties").get(ReadingsCompression.PROPERTY).get("const").asString())
                .isEqualTo(ReadingsCompression.GZIP);
        assertThat(gzip.get("bindings").get("mqtt").get("payloadFormatIndicator").asInt()).isZero();
        assertThat(messages.get("readings").get("bindings").get("mqtt").get("payloadFormatIndicator").asInt())
                .isEqualTo(1);
        assertThat(gzip.get("description").asString()).contains(ReadingsCompression.MAX_INFLATED_BYTES + " bytes");
    }

    /** Every $ref that points at a file (not inside this document). */
    private static void collectFileRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString() && !ref.asString().startsWith("#")) {
                refs.add(ref.asString());
            }
            node.forEach(child -> collectFileRefs(child, refs));
        } else if (node.isArray()) {
            node.forEach(child -> collectFileRefs(child, refs));
        }
    }
}
