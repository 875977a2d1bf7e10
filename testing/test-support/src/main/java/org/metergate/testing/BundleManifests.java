// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Checks on the OSGi manifest bnd wrote for the module under test: implementation bundles export nothing,
 * including the small embedding factories other modules' tests use (docs/architecture.md).
 */
public final class BundleManifests {

    private BundleManifests() {
    }

    /** The manifest in {@code target/classes} of the module whose tests are running (Maven's {@code basedir}). */
    public static Manifest ofThisModule() throws IOException {
        return read(Path.of(System.getProperty("basedir", ".")).resolve("target/classes"));
    }

    /** The manifest bnd left in a classes directory. */
    public static Manifest read(Path classes) throws IOException {
        Path file = classes.resolve("META-INF/MANIFEST.MF");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no manifest at " + file + "; build the module (bnd-process) first");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new Manifest(in);
        }
    }

    /**
     * Asserts that the module's bundle exports no package and holds each given package privately.
     *
     * @param privatePackages packages that must be in the bundle but not exported, e.g. its embedding factory
     */
    public static void assertExportsNothing(String... privatePackages) throws IOException {
        assertExportsNothing(ofThisModule(), privatePackages);
    }

    /** As {@link #assertExportsNothing(String...)}, for a given manifest. */
    public static void assertExportsNothing(Manifest manifest, String... privatePackages) {
        Attributes main = manifest.getMainAttributes();
        assertThat(main.getValue("Bundle-SymbolicName")).as("Bundle-SymbolicName (is this an OSGi bundle?)")
                .isNotNull();
        assertThat(main.getValue("Export-Package")).as("Export-Package of %s", main.getValue("Bundle-SymbolicName"))
                .isNull();
        assertThat(packages(main.getValue("Private-Package")))
                .as("Private-Package of %s", main.getValue("Bundle-SymbolicName")).contains(privatePackages);
    }

    private static List<String> packages(String header) {
        return header == null ? List.of() : Arrays.stream(header.split(",")).map(String::strip).toList();
    }
}
