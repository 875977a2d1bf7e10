// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Instant;

/**
 * Energy register totals at a simulated instant, in watt-hours (kept fractional so nothing is lost
 * between readings). This is what a state file holds.
 */
public record RegisterState(Instant at, double importDayWh, double importNightWh, double exportWh) {
}
