// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.metergate.api.link.LinkAddress;

/**
 * Finds out whether a meter of one protocol answers on a link and proposes its configuration. Published by each
 * protocol driver; the console and the shell run them one link at a time, so a probe owns the link while it runs.
 */
public interface MeterProbe {

    /** Protocol name for progress and results, e.g. {@code IEC 62056-21}. */
    String protocol();

    /**
     * Opens the link, asks in this probe's protocol and closes the link again. Every wait for the meter is bounded
     * by {@code answerTimeout}, with at most a few retries, so a silent link ends the probe within a small multiple
     * of it.
     *
     * @param answerTimeout longest wait for the link to open and for each answer of the meter
     * @return the proposed configuration, or empty when nothing answered in this protocol
     * @throws IOException the link could not be opened (port missing or busy, serial server unreachable)
     */
    Optional<MeterProposal> probe(LinkAddress link, Duration answerTimeout) throws IOException;
}
