// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The head-end link's state for status pages (the technician console, shell commands): published by the bundle that
 * owns the MQTT link, read by anyone. Since 1.1.0 also the link's connectivity check ({@link org.metergate.api.uplink.LinkCheck}).
 */
@Version("1.1.0")
@Export
package org.metergate.api.uplink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
