// SPDX-License-Identifier: GPL-3.0-or-later
/** What our jrxtx ports tell beyond the jrxtx API, for drivers that need to explain a failure. */
@Version("1.0.0")
@Export
package org.metergate.jrxtx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
