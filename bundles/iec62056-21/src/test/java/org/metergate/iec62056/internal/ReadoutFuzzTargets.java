// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.iec62056.internal.ReadoutConverter.DataLine;
import org.openmuc.j62056.DataMessage;
import org.openmuc.j62056.internal.IdentificationMessage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes what a meter's data block goes through: j62056's block parser (the same call the session's
 * {@code port.read()} ends in, after sign-on) and {@link ReadoutConverter}. The block is framed with STX,
 * ETX and a correct BCC, so the fuzzer reaches the data lines instead of failing the checksum. A block
 * either parses or is refused with an IOException; every parsed line becomes a reading or a skipped line.
 * Saved inputs: src/test/resources/org/metergate/iec62056/internal/ReadoutFuzzTargetsInputs/dataBlock/.
 */
class ReadoutFuzzTargets {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final byte STX = 0x02;
    private static final byte ETX = 0x03;

    @FuzzTest(maxDuration = "10s")
    void dataBlock(FuzzedDataProvider data) throws Exception {
        byte[] body = data.consumeRemainingAsBytes();
        DataMessage message;
        try {
            message = parse(frame(body));
        } catch (IOException e) {
            return; // refused as the session refuses it: a MeterException, not a crash
        }
        List<DataLine> lines = message.getDataSets().stream()
                .map(d -> new DataLine(d.getAddress(), d.getValue(), d.getUnit()))
                .toList();
        checkConversion(lines);
    }

    /** Lines as a broken meter or a noisy probe could deliver them, straight into the converter. */
    @FuzzTest(maxDuration = "10s")
    void dataLines(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 12);
        List<DataLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(new DataLine(data.consumeString(24), data.consumeBoolean() ? null : data.consumeString(40),
                    data.consumeString(8)));
        }
        checkConversion(lines);
    }

    private static void checkConversion(List<DataLine> lines) {
        ReadoutConverter.Converted converted = ReadoutConverter.convert("m1", lines, T);
        assertThat(converted.readings().size() + converted.skipped().size()).isEqualTo(lines.size());
        ReadingStatus status = converted.readings().isEmpty() ? null : converted.readings().get(0).status();
        for (Reading r : converted.readings()) {
            assertThat(r.meterId()).isEqualTo("m1");
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.isNumeric() ? r.value() : r.text()).isNotNull();
        }
    }

    private static byte[] frame(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 3);
        out.write(STX);
        out.writeBytes(body);
        out.write(ETX);
        byte bcc = 0;
        for (byte b : body) {
            bcc ^= b;
        }
        out.write(bcc ^ ETX);
        return out.toByteArray();
    }

    /** j62056 reads the block with a package-private method; the identification is a fixed mode C one. */
    private static DataMessage parse(byte[] block) throws Exception {
        IdentificationMessage id = new IdentificationMessage(new DataInputStream(
                new ByteArrayInputStream("/MGS5MGSIM55982395\r\n".getBytes(StandardCharsets.US_ASCII))));
        Method read = DataMessage.class.getDeclaredMethod("readModeAbcDataMessage", DataInputStream.class,
                IdentificationMessage.class);
        read.setAccessible(true);
        try {
            return (DataMessage) read.invoke(null, new DataInputStream(new ByteArrayInputStream(block)), id);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
