// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The highest invocation counter (frame counter) this gateway may have used towards one meter and client,
 * persisted so a counter is never reused after a restart or crash. Written to a temporary file, forced to disk
 * and moved over the old one, so a power cut leaves either the old or the new value.
 */
final class InvocationCounterStore {

    private final Path file;

    InvocationCounterStore(Path directory, String meterId, int clientId) {
        this.file = directory.resolve(meterId + "-client" + clientId + ".counter");
    }

    Path file() {
        return file;
    }

    /** The stored value, 0 when nothing was stored yet. */
    synchronized long load() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return 0;
        }
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            // guessing low would risk reusing counters; the technician must decide
            throw new IOException("invocation counter file " + file + " is damaged ('" + text
                    + "'); restore it or delete it so the counter is read from the meter again");
        }
    }

    /** Persists {@code value} durably; returns once it is on disk. */
    synchronized void store(long value) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // makes the rename itself durable
        } catch (IOException e) {
            // some file systems cannot open directories; the data itself is already forced
        }
    }
}
