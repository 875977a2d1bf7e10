// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates documents against the published MQTT contract in docs/mqtt-contract/schemas (JSON Schema draft
 * 2020-12), for the tests of every module that produces contract documents (modules under {@code bundles/}).
 */
public final class MqttContractSchemas {

    public static final String BASE = "https://metergate.org/mqtt/v1/";
    public static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("../../docs/mqtt-contract/schemas")
            .normalize();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(MqttContractSchemas::load));

    private MqttContractSchemas() {
    }

    private static String load(String iri) {
        if (!iri.startsWith(BASE)) {
            return null;
        }
        try {
            return Files.readString(DIR.resolve(iri.substring(BASE.length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation errors of {@code json} against {@code schemaFile}; empty when it is valid. */
    public static List<String> errors(String schemaFile, String json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + schemaFile));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + " " + e.getMessage()).collect(Collectors.toList());
    }

    public static void assertValid(String schemaFile, String json) {
        assertThat(errors(schemaFile, json)).as("%s against %s", json, schemaFile).isEmpty();
    }
}
