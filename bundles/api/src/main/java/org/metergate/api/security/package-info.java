// SPDX-License-Identifier: GPL-3.0-or-later
@Version("1.4.0")
@Export
package org.metergate.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
