// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;

/**
 * Keys from {@code <dir>/<meterId>.properties}: {@code authenticationKey} and {@code encryptionKey}, 32 hex digits
 * each. The file must be readable by its owner only, as a key file readable by others is a leaked key.
 */
final class FileDlmsKeys implements DlmsKeys {

    static final String AUTHENTICATION_KEY = "authenticationKey";
    static final String ENCRYPTION_KEY = "encryptionKey";

    private final Path directory;

    FileDlmsKeys(Path directory) {
        this.directory = directory;
    }

    Path fileFor(String meterId) {
        return directory.resolve(meterId + ".properties");
    }

    @Override
    public ClientKeys keysFor(String meterId) throws MeterException {
        Path file = fileFor(meterId);
        Properties p = new Properties();
        try {
            checkOwnerOnly(file);
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                p.load(r);
            }
        } catch (NoSuchFileException e) {
            throw new MeterException(Reason.CONFIGURATION, "no keys for meter " + meterId + ": create " + file
                    + " (owner-only, chmod 600) with " + AUTHENTICATION_KEY + "=<32 hex digits> and " + ENCRYPTION_KEY
                    + "=<32 hex digits>", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new MeterException(Reason.CONFIGURATION, "cannot read the keys of meter " + meterId + " from " + file
                    + ": " + e.getMessage(), e);
        }
        return new ClientKeys(key(p, AUTHENTICATION_KEY, meterId, file), key(p, ENCRYPTION_KEY, meterId, file));
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException("the file can be read by other users; restrict it with: chmod 600 " + file);
            }
        }
    }

    private static byte[] key(Properties p, String name, String meterId, Path file) throws MeterException {
        String hex = p.getProperty(name);
        if (hex == null || hex.isBlank()) {
            throw new MeterException(Reason.CONFIGURATION, file + " has no " + name + " for meter " + meterId
                    + " (expected " + name + "=<32 hex digits>)");
        }
        try {
            byte[] key = HexFormat.of().parseHex(hex.strip());
            if (key.length == 16) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below without echoing the value
        }
        throw new MeterException(Reason.CONFIGURATION, name + " in " + file + " for meter " + meterId
                + " is not 16 bytes in hex (32 hex digits)");
    }
}
