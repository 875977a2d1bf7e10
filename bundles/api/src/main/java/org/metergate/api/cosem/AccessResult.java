// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

/**
 * Why a meter refused a GET, SET or ACTION: the Blue Book data-access-result and action-result codes (they
 * share their values), with the standard's names for messages.
 */
public enum AccessResult {
    SUCCESS(0, "success"),
    HARDWARE_FAULT(1, "hardware-fault"),
    TEMPORARY_FAILURE(2, "temporary-failure"),
    READ_WRITE_DENIED(3, "read-write-denied"),
    OBJECT_UNDEFINED(4, "object-undefined"),
    OBJECT_CLASS_INCONSISTENT(9, "object-class-inconsistent"),
    OBJECT_UNAVAILABLE(11, "object-unavailable"),
    TYPE_UNMATCHED(12, "type-unmatched"),
    SCOPE_OF_ACCESS_VIOLATED(13, "scope-of-access-violated"),
    DATA_BLOCK_UNAVAILABLE(14, "data-block-unavailable"),
    LONG_TRANSFER_ABORTED(15, "long-transfer-aborted"),
    NO_LONG_TRANSFER_IN_PROGRESS(16, "no-long-transfer-in-progress"),
    LONG_SET_ABORTED(17, "long-set-aborted"),
    NO_LONG_SET_IN_PROGRESS(18, "no-long-set-in-progress"),
    DATA_BLOCK_NUMBER_INVALID(19, "data-block-number-invalid"),
    OTHER_REASON(250, "other-reason");

    private final int code;
    private final String text;

    AccessResult(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The standard's name, e.g. {@code object-unavailable}. */
    public String text() {
        return text;
    }

    /** The result with this wire code; unknown codes are {@link #OTHER_REASON}. */
    public static AccessResult ofCode(int code) {
        for (AccessResult r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return OTHER_REASON;
    }

    /** What a technician can do about it. */
    public String hint() {
        return switch (this) {
            case READ_WRITE_DENIED, SCOPE_OF_ACCESS_VIOLATED ->
                    "this client may not do this (read-only attribute, or it needs the management client 1 with its keys)";
            case OBJECT_UNDEFINED, OBJECT_UNAVAILABLE, OBJECT_CLASS_INCONSISTENT ->
                    "the meter does not have this object; check the OBIS code and interface class against the meter's object list";
            case TYPE_UNMATCHED -> "the value has a type the meter does not accept for this attribute";
            case TEMPORARY_FAILURE -> "the meter cannot do it now (state or mode does not allow it); try again later";
            case HARDWARE_FAULT -> "the meter reports a hardware fault";
            default -> "see the meter's documentation";
        };
    }
}
