// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.IOException;

/** The serial port failed or rejected an operation. */
public class SerialPortException extends IOException {

    private static final long serialVersionUID = -4848841747671551647L;

    public SerialPortException(String message) {
        super(message);
    }
}
