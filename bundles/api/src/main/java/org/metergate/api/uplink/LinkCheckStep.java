// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of the connectivity check. {@code detail} says what was found, for a person; {@code fix} is what to try
 * when the step failed (null otherwise); {@code elapsed} is the measured time of the step (zero while running or
 * skipped).
 */
public record LinkCheckStep(LinkCheckStage stage, LinkCheckOutcome outcome, Duration elapsed, String detail,
        String fix) {

    public LinkCheckStep {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public boolean failed() {
        return outcome == LinkCheckOutcome.FAILED;
    }
}
