// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

/**
 * The small integers the outbox table stores for kind and retention (schema 4), one byte per row instead of a
 * word. The numbers are part of the file format: never renumber, only add.
 */
final class OutboxCodes {

    /** Kind code of readings; the priority index holds every row whose kind is not this. */
    static final int READING = 0;
    /** Retention code of routine messages; the routine index holds exactly these rows. */
    static final int ROUTINE = 0;

    private static final MessageKind[] KINDS = {MessageKind.READING, MessageKind.EVENT, MessageKind.RECEIPT,
        MessageKind.STATUS};
    private static final Retention[] RETENTIONS = {Retention.ROUTINE, Retention.BILLING, Retention.RECEIPT,
        Retention.ALARM};

    private OutboxCodes() {
    }

    static int code(MessageKind kind) {
        return switch (kind) {
            case READING -> 0;
            case EVENT -> 1;
            case RECEIPT -> 2;
            case STATUS -> 3;
        };
    }

    static int code(Retention retention) {
        return switch (retention) {
            case ROUTINE -> 0;
            case BILLING -> 1;
            case RECEIPT -> 2;
            case ALARM -> 3;
        };
    }

    static MessageKind kind(int code) {
        if (code < 0 || code >= KINDS.length) {
            throw new IllegalStateException("outbox row has kind code " + code + ", which this software does not"
                    + " know (written by a newer Metergate?)");
        }
        return KINDS[code];
    }

    static Retention retention(int code) {
        if (code < 0 || code >= RETENTIONS.length) {
            throw new IllegalStateException("outbox row has retention code " + code + ", which this software does"
                    + " not know (written by a newer Metergate?)");
        }
        return RETENTIONS[code];
    }

    /** SQL CASE turning the text values of schema 1–3 into codes, for the migration. */
    static String kindCaseSql(String column) {
        StringBuilder b = new StringBuilder("CASE ").append(column);
        for (MessageKind k : MessageKind.values()) {
            b.append(" WHEN '").append(k.name()).append("' THEN ").append(code(k));
        }
        return b.append(" END").toString();
    }

    static String retentionCaseSql(String column) {
        StringBuilder b = new StringBuilder("CASE ").append(column);
        for (Retention r : Retention.values()) {
            b.append(" WHEN '").append(r.name()).append("' THEN ").append(code(r));
        }
        return b.append(" END").toString();
    }
}
