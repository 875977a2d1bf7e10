// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A built .deb, read through dpkg-deb (the tool dpkg itself uses), never through our own archive code. */
final class DebianPackage {

    static final String DEB_DIR_PROPERTY = "metergate.deb.dir";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** One line of {@code dpkg-deb --contents}: mode, owner/group, size, date, time, path [-> target]. */
    private static final Pattern CONTENT_LINE =
            Pattern.compile("^(\\S{10})\\s+(\\S+)/(\\S+)\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+(.+?)(?: -> (.+))?$");

    /** One entry of the data archive, its path without the leading "." (/opt/metergate/bin/metergate). */
    static final class Entry {
        final String mode;
        final String owner;
        final String group;
        final String path;
        final String linkTarget;

        Entry(String mode, String owner, String group, String path, String linkTarget) {
            this.mode = mode;
            this.owner = owner;
            this.group = group;
            this.path = path;
            this.linkTarget = linkTarget;
        }

        boolean isDirectory() {
            return mode.charAt(0) == 'd';
        }

        boolean isSymlink() {
            return mode.charAt(0) == 'l';
        }

        boolean isRegularFile() {
            return mode.charAt(0) == '-';
        }

        @Override
        public String toString() {
            return mode + " " + owner + "/" + group + " " + path + (linkTarget == null ? "" : " -> " + linkTarget);
        }
    }

    final Path file;

    DebianPackage(Path file) {
        this.file = file;
    }

    /** The metergate_*_all.deb this build wrote to target/ (the newest, should an older version lie there too). */
    static DebianPackage built() throws IOException {
        Path dir = Path.of(System.getProperty(DEB_DIR_PROPERTY, "target"));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("metergate_.+_all\\.deb"))
                    .max(Comparator.comparing(DebianPackage::lastModified))
                    .map(DebianPackage::new)
                    .orElseThrow(() -> new AssertionError("no metergate_*_all.deb in " + dir));
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The control file's fields, continuation lines joined with newlines. */
    Map<String, String> fields() throws IOException, InterruptedException {
        String control = ExternalCommand.run(TIMEOUT, "dpkg-deb", "--field", file.toString()).orFail().output;
        Map<String, String> fields = new LinkedHashMap<>();
        String current = null;
        for (String line : control.split("\n")) {
            if (line.startsWith(" ") && current != null) {
                fields.put(current, fields.get(current) + "\n" + line.substring(1));
            } else if (line.contains(":")) {
                current = line.substring(0, line.indexOf(':'));
                fields.put(current, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return fields;
    }

    List<Entry> contents() throws IOException, InterruptedException {
        String listing = ExternalCommand.run(TIMEOUT, "dpkg-deb", "--contents", file.toString()).orFail().output;
        List<Entry> entries = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = CONTENT_LINE.matcher(line);
            if (!matcher.matches()) {
                throw new AssertionError("unexpected dpkg-deb --contents line: " + line);
            }
            String path = matcher.group(5).replaceFirst("^\\./", "/").replaceFirst("(.)/$", "$1");
            entries.add(new Entry(matcher.group(1), matcher.group(2), matcher.group(3), path, matcher.group(6)));
        }
        return entries;
    }

    /** Extracts the control archive (control, conffiles, maintainer scripts) into {@code target}. */
    Path extractControl(Path target) throws IOException, InterruptedException {
        ExternalCommand.run(TIMEOUT, "dpkg-deb", "--control", file.toString(), target.toString()).orFail();
        return target;
    }

    /** Extracts the files (not the control archive) into {@code target}. */
    Path extractFiles(Path target) throws IOException, InterruptedException {
        ExternalCommand.run(TIMEOUT, "dpkg-deb", "--extract", file.toString(), target.toString()).orFail();
        return target;
    }

    /**
     * Builds a copy of this package that differs only in its version, the way a newer release would replace it:
     * raw-extracted with dpkg-deb, the Version field changed, rebuilt with dpkg-deb.
     */
    DebianPackage withVersion(String version, Path workDir) throws IOException, InterruptedException {
        Path root = workDir.resolve("root");
        ExternalCommand.run(TIMEOUT, "dpkg-deb", "--raw-extract", file.toString(), root.toString()).orFail();
        // the root directory becomes "./" in the archive: it must look like /
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path control = root.resolve("DEBIAN/control");
        String original = Files.readString(control, StandardCharsets.UTF_8);
        String changed = original.replaceFirst("(?m)^Version: .*$", "Version: " + version);
        if (changed.equals(original)) {
            throw new AssertionError("no Version field in " + control);
        }
        Files.writeString(control, changed, StandardCharsets.UTF_8);
        Path rebuilt = workDir.resolve("metergate_" + version + "_all.deb");
        // fast compression: the archive only lives for the test
        ExternalCommand.run(TIMEOUT, "dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "--build",
                root.toString(), rebuilt.toString()).orFail();
        return new DebianPackage(rebuilt);
    }
}
