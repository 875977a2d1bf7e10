// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Secret files readable by the gateway's user only: the directory is created {@code 0700} and files {@code 0600}
 * in the same call that creates them, so no other user can open them in between. Writes go to a temporary file that
 * is flushed and renamed over the old one, so a power cut leaves the old or the new content, never half of it.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final boolean posix;

    OwnerOnlyFiles(Path directory) throws IOException {
        this.directory = directory;
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.posix = parent == null || Files.getFileStore(parent).supportsFileAttributeView("posix");
        try {
            Files.createDirectory(directory, attributes(DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw new IOException(directory + " exists but is not a directory", e);
            }
        }
    }

    Path directory() {
        return directory;
    }

    /** True when the directory can be read or entered by users other than its owner. */
    boolean widerThanOwner() throws IOException {
        return posix && !DIRECTORY.containsAll(Files.getPosixFilePermissions(directory));
    }

    Optional<String> read(String name) throws IOException {
        try {
            return Optional.of(Files.readString(directory.resolve(name), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void write(String name, String content) throws IOException {
        Path target = directory.resolve(name);
        Path temporary = directory.resolve("." + name + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes(FILE))) {
            ByteBuffer bytes = ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    void delete(String name) throws IOException {
        if (Files.deleteIfExists(directory.resolve(name))) {
            syncDirectory();
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for syncing; the rename itself is still atomic
        }
    }

    private FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
