// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Opens byte links without OSGi service lookup, for libraries such as the jrxtx compatibility layer that
 * construct ports from a name. Inside OSGi, prefer the {@link org.metergate.api.link.LinkService} service.
 */
@Version("1.0.0")
@Export
package org.metergate.serial;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
