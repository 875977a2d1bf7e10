// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import java.io.IOException;

/** The link could not be opened: port missing or busy, serial server refusing or unreachable. */
public class LinkUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public LinkUnavailableException(String message) {
        super(message);
    }

    public LinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
