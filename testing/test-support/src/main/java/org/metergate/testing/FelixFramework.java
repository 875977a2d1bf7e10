// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
     * For {@code org.osgi.framework.system.packages.extra}: every package the API bundle on the test class path
     * exports, at the version it exports, so a test can share the API classes with the bundles it installs
     * through the system bundle and never states a version that the next API change makes wrong.
     */
    public static String apiPackages() throws IOException, ClassNotFoundException, URISyntaxException {
        Path api = jarOf("org.metergate.api.meter.Meter");
        Manifest manifest;
        if (Files.isDirectory(api)) {
            manifest = BundleManifests.read(api);
        } else {
            try (JarFile jar = new JarFile(api.toFile())) {
                manifest = jar.getManifest();
            }
        }
        String exports = manifest.getMainAttributes().getValue("Export-Package");
        if (exports == null) {
            throw new IllegalStateException("the API bundle at " + api + " exports nothing; build bundles/api first");
        }
        List<String> packages = new ArrayList<>();
        for (String clause : clauses(exports)) {
            String name = clause.split(";", 2)[0].trim();
            Matcher version = Pattern.compile(";version=\"?([0-9.]+)").matcher(clause);
            packages.add(version.find() ? name + ";version=" + version.group(1) : name);
        }
        return String.join(",", packages);
    }

    /** A manifest header's clauses: split at commas outside quotes (uses:= lists are quoted). */
    private static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(clause.toString());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        clauses.add(clause.toString());
        return clauses;
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
