// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest check passes only for a bundle that exports nothing and holds the named packages. */
class BundleManifestsTest {

    @TempDir
    Path classes;

    private static Manifest manifest(String exports, String privates) {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-SymbolicName", "org.metergate.sample");
        if (exports != null) {
            main.putValue("Export-Package", exports);
        }
        main.putValue("Private-Package", privates);
        return mf;
    }

    @Test
    void aBundleThatExportsNothingPasses() {
        BundleManifests.assertExportsNothing(
                manifest(null, "org.metergate.sample.embedded,org.metergate.sample.internal"),
                "org.metergate.sample.embedded");
    }

    @Test
    void anExportedPackageFailsTheCheck() {
        assertThatThrownBy(() -> BundleManifests.assertExportsNothing(
                manifest("org.metergate.sample.embedded;version=\"1.0.0\"", "org.metergate.sample.internal")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Export-Package of org.metergate.sample");
    }

    @Test
    void aPackageMissingFromTheBundleFailsTheCheck() {
        assertThatThrownBy(() -> BundleManifests.assertExportsNothing(
                manifest(null, "org.metergate.sample.embeddedx"), "org.metergate.sample.embedded"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Private-Package");
    }

    @Test
    void theManifestIsReadFromTheClassesDirectoryWithLongHeadersIntact() throws Exception {
        String longList = "org.metergate.sample.embedded,org.metergate.sample.internal,org.metergate.sample.more";
        Files.createDirectories(classes.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            manifest(null, longList).write(out);
        }

        Manifest read = BundleManifests.read(classes);

        assertThat(read.getMainAttributes().getValue("Private-Package")).isEqualTo(longList);
        BundleManifests.assertExportsNothing(read, "org.metergate.sample.more");
    }

    @Test
    void aMissingManifestIsReportedWithItsPath() {
        assertThatThrownBy(() -> BundleManifests.read(classes)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(classes.resolve("META-INF/MANIFEST.MF").toString());
    }
}
