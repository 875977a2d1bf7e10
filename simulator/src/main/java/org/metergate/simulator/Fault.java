// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

/** Faults that can be switched on and off per meter at runtime. */
public enum Fault {
    /** Data and programming messages carry a wrong block check character. */
    CORRUPT_BCC,
    /** The data block stops about half way, then the meter falls silent until the next sign-on. */
    TRUNCATED_BLOCK,
    /** The meter reads everything and answers nothing (optical head misaligned, meter dead). */
    SILENT,
    /** Every answer waits the configured slow reaction time instead of the normal one. */
    SLOW_REACTION
}
