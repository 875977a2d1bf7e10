// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends lines to {@code metergate.log} and rotates by size: {@code metergate.log} →
 * {@code metergate.log.1} → ... → {@code metergate.log.<maxFiles-1>}, the oldest is deleted. The size
 * bound keeps a gateway's flash from filling up; each line is flushed so {@code tail -f} shows it at once.
 */
final class RotatingFileWriter implements AutoCloseable {

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    /**
     * @param file the active log file; its directory is created when missing
     * @param maxBytes size after which the file is rotated (at least 1 KiB)
     * @param maxFiles number of files kept including the active one (at least 1)
     */
    RotatingFileWriter(Path file, long maxBytes, int maxFiles) throws IOException {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maximum log file size must be at least 1 KiB, was " + maxBytes + " bytes");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("number of log files must be at least 1, was " + maxFiles);
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        open();
    }

    synchronized void writeLine(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    Path file() {
        return file;
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        if (maxFiles == 1) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(numbered(maxFiles - 1));
            for (int index = maxFiles - 2; index >= 1; index--) {
                Path older = numbered(index);
                if (Files.exists(older)) {
                    Files.move(older, numbered(index + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path numbered(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
