// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

/** A serial port the system offers, for discovery: its path, a human description, and whether it is in use. */
public record PortInfo(String path, String description, boolean busy) {
}
