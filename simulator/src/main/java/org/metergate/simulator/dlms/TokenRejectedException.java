// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/** A token the meter refuses; {@link #status()} is what the token gateway reports in attribute 6. */
public class TokenRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final TokenStatus status;

    public TokenRejectedException(TokenStatus status, String reason) {
        super(reason);
        this.status = status;
    }

    public TokenStatus status() {
        return status;
    }
}
