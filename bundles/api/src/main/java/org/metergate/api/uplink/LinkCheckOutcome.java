// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

/** Where a step of the connectivity check stands. */
public enum LinkCheckOutcome {
    /** Not started yet, or started and not finished. */
    RUNNING,
    PASSED,
    FAILED,
    /** Not run: an earlier step failed, or the step does not apply (TLS on a plaintext development link). */
    SKIPPED
}
