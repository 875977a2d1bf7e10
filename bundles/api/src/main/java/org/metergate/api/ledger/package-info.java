// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The credit token ledger: every accepted token, its place in its meter's queue, its state and its receipts.
 * Implemented by the store bundle (SQLite, same database as the outbox) and used by the prepay bundle and the
 * console (1.1: {@code TokenLedger.recent}, a meter's token history).
 */
@Version("1.1.0")
@Export
package org.metergate.api.ledger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
