// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.security.GeneralSecurityException;

/** A certificate offered for installation was refused; the installed identity is unchanged. */
public class CertificateRejectedException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    public CertificateRejectedException(String message) {
        super(message);
    }

    public CertificateRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
