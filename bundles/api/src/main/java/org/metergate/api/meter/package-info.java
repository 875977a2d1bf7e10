// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Meters, their readings and the metering service's view of them (1.1: {@code MeterStatus.catchUp}, a DLMS
 * meter's load-profile catch-up in progress, as {@code ProfileCatchUp}).
 */
@Version("1.1.0")
@Export
package org.metergate.api.meter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
