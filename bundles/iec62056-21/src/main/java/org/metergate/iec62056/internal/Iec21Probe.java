// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkTimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Discovery for IEC 62056-21: the sign-on {@code /?!} at 300 baud 7E1 to whatever meter is on the link, and its
 * identification line. Nothing more is sent, so the meter returns to waiting for a sign-on by itself.
 */
@Component(service = MeterProbe.class)
public class Iec21Probe implements MeterProbe {

    static final int ATTEMPTS = 2;
    private static final byte[] SIGN_ON = "/?!\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 100;
    /** An identification of {@link #MAX_LINE} characters takes about 3.7 s at 300 baud 7E1. */
    private static final Duration LINE_AT_300_BAUD = Duration.ofMillis(MAX_LINE * 10 * 1000 / 300 + 400);

    private final LinkService links;

    @Activate
    public Iec21Probe(@Reference LinkService links) {
        this.links = links;
    }

    @Override
    public String protocol() {
        return "IEC 62056-21";
    }

    @Override
    public Optional<MeterProposal> probe(LinkAddress link, Duration answerTimeout) throws IOException {
        try (ByteLink line = links.open(link, LinkSettings.IEC_SIGN_ON, answerTimeout)) {
            line.setReadTimeout(answerTimeout);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                line.discardInput();
                line.output().write(SIGN_ON);
                line.output().flush();
                Optional<Identification> identification = readIdentification(line.input(),
                        System.nanoTime() + answerTimeout.plus(LINE_AT_300_BAUD).toNanos());
                if (identification.isPresent()) {
                    return Optional.of(proposal(link, identification.get()));
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The first line that starts with '/' and reads as an identification (an echo of our own sign-on does not);
     * empty on silence, noise, overlong lines or the deadline.
     */
    private static Optional<Identification> readIdentification(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean started = false;
        int skipped = 0;
        while (System.nanoTime() < deadline) {
            int b;
            try {
                b = in.read();
            } catch (LinkTimeoutException e) {
                return Optional.empty();
            }
            if (b < 0) {
                return Optional.empty();
            }
            b &= 0x7F; // a line opened at 8 bits still shows 7E1 parity in the top bit
            if (!started) {
                started = b == '/';
                if (!started && ++skipped > MAX_LINE) {
                    return Optional.empty(); // an echo of our sign-on, then noise: not an IEC meter
                }
                if (!started) {
                    continue;
                }
            }
            if (b == '\n') {
                Optional<Identification> identification =
                        Identification.parse(line.toString(StandardCharsets.US_ASCII).strip());
                if (identification.isPresent()) {
                    return identification;
                }
                line.reset();
                started = false;
                continue;
            }
            if (line.size() >= MAX_LINE) {
                return Optional.empty();
            }
            line.write(b);
        }
        return Optional.empty();
    }

    private static MeterProposal proposal(LinkAddress link, Identification identification) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("meterId", MeterProposal.meterIdFrom(identification.manufacturer() + identification.text(),
                "iec-meter"));
        settings.put("link", link.toString());
        settings.put("deviceAddress", "");
        settings.put("initialBaud", 300);
        settings.put("fixedBaud", Boolean.FALSE);
        return new MeterProposal("IEC 62056-21", link,
                identification.manufacturer() + identification.baudCharacter() + identification.text(),
                identification.describe(), Iec21Meter.FACTORY_PID, settings);
    }
}
