// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/** Token gateway (IC 115) status codes, attribute 6 {@code token_status_code}. */
public enum TokenStatus {
    FORMAT_OK(0),
    AUTHENTICATION_OK(1),
    VALIDATION_OK(2),
    EXECUTION_OK(3),
    FORMAT_FAIL(4),
    AUTHENTICATION_FAIL(5),
    VALIDATION_FAIL(6),
    EXECUTION_FAIL(7),
    RECEIVED(8);

    private final int code;

    TokenStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TokenStatus ofCode(int code) {
        for (TokenStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown token status code " + code + " (expected 0..8)");
    }
}
