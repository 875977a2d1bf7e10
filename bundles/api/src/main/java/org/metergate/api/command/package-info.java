// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Head-end commands: a bundle that answers a command publishes a {@link org.metergate.api.command.CommandHandler}
 * service; the bundle that owns the head-end link routes {@code mg/v1/{gateway}/cmd/{name}} to the handler whose
 * {@link org.metergate.api.command.CommandHandler#command()} is {@code name} and sends its
 * {@link org.metergate.api.command.CommandResult} as a {@code cmd-response/v1} document (docs/mqtt-contract). The
 * link's own commands ({@code get-status}, {@code read-now}) are handlers of the same kind.
 */
@Version("1.0.0")
@Export
package org.metergate.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
