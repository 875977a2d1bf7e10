// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Meter discovery: {@link org.metergate.api.discovery.MeterProbe} services ask whatever answers on a link whether it is
 * a meter of their protocol and propose the factory configuration that would read it.
 */
@Version("1.0.0")
@Export
package org.metergate.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
