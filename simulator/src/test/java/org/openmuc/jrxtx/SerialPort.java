// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.Closeable;

/**
 * Test-only placeholder so j62056's DataMessage class can be loaded: its mode A–C parser never touches a
 * serial port, but a mode D method names this type in its signature. No RXTX code is involved.
 */
public interface SerialPort extends Closeable {
}
