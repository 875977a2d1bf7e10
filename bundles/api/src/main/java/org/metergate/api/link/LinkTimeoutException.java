// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import java.io.InterruptedIOException;

/** No byte arrived within the link's read timeout. */
public class LinkTimeoutException extends InterruptedIOException {

    private static final long serialVersionUID = 1L;

    public LinkTimeoutException(String message) {
        super(message);
    }
}
