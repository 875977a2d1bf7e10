// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;

import org.metergate.api.security.DeviceCommissioning;

/**
 * Commissioning operations on the device identity, used by the shell commands: the console's
 * {@link DeviceCommissioning} plus the status text and the rotation, which only the shell offers.
 */
public interface IdentityCommissioning extends DeviceCommissioning {

    /** Identity state: key age, certificate subject, issuer and validity, pending rotation. */
    IdentityStatus status();

    /**
     * Creates a new key pair next to the one in use (which stays in use) and returns its request. Calling it
     * again while the rotation is pending returns the same request, so a request already sent stays good.
     */
    String startRotation() throws GeneralSecurityException, IOException;

    /** Forgets a pending rotation key; the device key in use is not touched. */
    void cancelRotation() throws GeneralSecurityException, IOException;
}
