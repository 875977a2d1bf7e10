// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The head-end link's state for status pages (the technician console, shell commands): published by the bundle that
 * owns the MQTT link, read by anyone.
 */
@Version("1.0.0")
@Export
package org.metergate.api.uplink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
