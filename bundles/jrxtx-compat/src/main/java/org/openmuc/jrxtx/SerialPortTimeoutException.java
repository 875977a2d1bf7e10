// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.InterruptedIOException;

/**
 * No byte arrived within the serial port timeout. An {@link InterruptedIOException}, which is what jDLMS and
 * j62056 catch; the port stays usable.
 */
public class SerialPortTimeoutException extends InterruptedIOException {

    private static final long serialVersionUID = -5808479011360793837L;

    public SerialPortTimeoutException() {
        super();
    }

    public SerialPortTimeoutException(String message) {
        super(message);
    }
}
