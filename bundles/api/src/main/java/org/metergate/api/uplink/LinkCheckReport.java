// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The result of one connectivity check: the broker URI it used and every stage in order. */
public record LinkCheckReport(String brokerUri, Instant startedAt, List<LinkCheckStep> steps) {

    public LinkCheckReport {
        Objects.requireNonNull(startedAt, "startedAt");
        steps = List.copyOf(steps);
    }

    /** True when no step failed and the round trip passed. */
    public boolean passed() {
        return steps.stream().noneMatch(LinkCheckStep::failed) && steps.stream()
                .anyMatch(s -> s.stage() == LinkCheckStage.ROUND_TRIP && s.outcome() == LinkCheckOutcome.PASSED);
    }
}
