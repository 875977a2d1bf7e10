// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;

import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;

/** Turns SQLite result codes into outbox errors a technician can act on. */
final class SqliteErrors {

    // primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;

    private SqliteErrors() {
    }

    static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xff;
    }

    static boolean isCorrupt(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
    }

    /**
     * @param action what was being done, e.g. "storing 12 messages"; ends up in the message
     */
    static OutboxException map(SQLException e, Path file, String action) {
        String what = "outbox database " + file + ": " + action + " failed";
        return switch (primaryCode(e)) {
            case SQLITE_FULL -> new OutboxException(Reason.DISK_FULL, what + " because the disk is full ("
                    + e.getMessage() + "). Nothing already accepted was lost. Free space on the data partition"
                    + " (df -h " + parent(file) + ") or lower maxMessages/maxPayloadBytes.", e);
            case SQLITE_READONLY -> new OutboxException(Reason.READ_ONLY, what + " because the file or its"
                    + " filesystem is read-only (" + e.getMessage() + "). After storage errors Linux remounts"
                    + " the filesystem read-only: check `dmesg` and `mount`; otherwise check that the gateway"
                    + " user owns " + file + " and its directory.", e);
            case SQLITE_CORRUPT, SQLITE_NOTADB -> new OutboxException(Reason.CORRUPT, what + " because the file is"
                    + " damaged (" + e.getMessage() + "). Restart the gateway: it keeps the damaged file aside"
                    + " as " + file.getFileName() + ".corrupt-<time> and starts a new one.", e);
            case SQLITE_CANTOPEN -> new OutboxException(Reason.IO, what + ": the file cannot be opened ("
                    + e.getMessage() + "). Check that " + parent(file) + " exists and is writable by the"
                    + " gateway user.", e);
            default -> new OutboxException(Reason.IO, what + " (" + e.getMessage() + ", SQLite code "
                    + e.getErrorCode() + "). Check the storage (dmesg) and the log.", e);
        };
    }

    private static Path parent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file : parent;
    }
}
