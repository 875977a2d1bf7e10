// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The jars a test installs into an embedded Felix framework: the module's own bundle as bnd built it, and the
 * bundles on the test class path.
 */
public final class FelixFramework {

    private FelixFramework() {
    }

    /** The jar (or classes directory) on the test class path that holds {@code className}, to install as a bundle. */
    public static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * The module's bundle as bnd left it in {@code target/classes}, packed into {@code dir/jarName} with the
     * manifest first (where the framework looks for it).
     */
    public static Path bundleJar(Path dir, String jarName) throws IOException {
        Path classes = Path.of(System.getProperty("basedir", ".")).resolve("target/classes");
        Path jar = dir.resolve(jarName);
        Manifest mf = BundleManifests.read(classes);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (!name.equals("META-INF/MANIFEST.MF")) {
                    j.putNextEntry(new ZipEntry(name));
                    Files.copy(p, j);
                    j.closeEntry();
                }
            }
        }
        return jar;
    }
}
