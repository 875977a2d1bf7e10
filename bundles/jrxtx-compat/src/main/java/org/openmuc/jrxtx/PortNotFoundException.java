// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

/** The port could not be opened: it does not exist, is busy, or the serial server cannot be reached. */
public class PortNotFoundException extends SerialPortException {

    private static final long serialVersionUID = 2766015292714524756L;

    public PortNotFoundException(String message) {
        super(message);
    }
}
