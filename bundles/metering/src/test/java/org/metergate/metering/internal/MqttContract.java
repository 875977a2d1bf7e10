// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

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

/** The published MQTT contract (docs/mqtt-contract/schemas, JSON Schema draft 2020-12) as a validator. */
final class MqttContract {

    private static final String BASE = "https://metergate.org/mqtt/v1/";
    private static final Path DIR = Path.of(System.getProperty("basedir", "."))
            .resolve("../../docs/mqtt-contract/schemas").normalize();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(MqttContract::load));

    private MqttContract() {
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
    static List<String> errors(String schemaFile, String json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + schemaFile));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + " " + e.getMessage()).collect(Collectors.toList());
    }
}
