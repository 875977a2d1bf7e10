// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

/**
 * A request the console refuses; the message is shown to the technician as it is. {@link #wrongSecret()} marks a
 * wrong password or setup code, which counts towards the login pause; a too-short new password does not.
 */
final class RefusedException extends Exception {

    private final boolean wrongSecret;

    RefusedException(String message, boolean wrongSecret) {
        super(message);
        this.wrongSecret = wrongSecret;
    }

    RefusedException(String message) {
        this(message, false);
    }

    boolean wrongSecret() {
        return wrongSecret;
    }
}
