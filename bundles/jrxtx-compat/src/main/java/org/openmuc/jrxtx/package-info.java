// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The {@code org.openmuc.jrxtx} 1.0.1 API that j62056 and jDLMS are compiled against, implemented on Metergate
 * byte links (jSerialComm serial ports and raw TCP serial servers) instead of RXTX.
 */
@Version("1.0.1")
@Export
package org.openmuc.jrxtx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
