// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/**
 * Checks a token entered through the token gateway (IC 115 method 1) before the meter applies it. Replays are
 * checked by the meter itself afterwards, against its persistent list of used token ids.
 *
 * <p>The signed (JWS) credit tokens plug in here; until then the meter knows only {@link #rejectAll()} and, when
 * configured for tests, {@link TestTokenFormat}.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * @param token the octet-string exactly as entered
     * @param meterSerial the serial number of the meter the token is entered into
     * @return the verified credit
     * @throws TokenRejectedException with the status to report (format, authentication or validation failure)
     */
    CreditToken verify(byte[] token, String meterSerial) throws TokenRejectedException;

    /** The safe default: nothing can be verified, so nothing is applied. */
    static TokenVerifier rejectAll() {
        return (token, meterSerial) -> {
            throw new TokenRejectedException(TokenStatus.AUTHENTICATION_FAIL,
                    "this meter has no token verifier configured; enable test tokens or configure a verifier");
        };
    }
}
