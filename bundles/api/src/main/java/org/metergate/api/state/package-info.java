// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Durable per-meter state (cursors, last daily value) kept in the same store as the outbox, so that a state change
 * and the uplink messages it stands for commit together or not at all.
 */
@Version("1.0.0")
@Export
package org.metergate.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
