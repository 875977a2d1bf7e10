// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

import java.util.function.Consumer;

/**
 * The head-end link's connectivity check, published by the bundle that owns the link: it goes through the steps of
 * {@link LinkCheckStage} in order with the configured broker URI and the certificate in use, and stops at the first
 * failure. Each step has a bounded timeout, so a run ends within a known time.
 */
public interface LinkCheck {

    /**
     * Runs the check in the calling thread.
     *
     * @param progress told of each step when it starts ({@link LinkCheckOutcome#RUNNING}) and when it ends; may be
     *                 called from other threads than the caller's, never concurrently
     * @return every stage, those after a failure as {@link LinkCheckOutcome#SKIPPED}
     */
    LinkCheckReport run(Consumer<LinkCheckStep> progress);
}
