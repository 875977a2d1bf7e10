// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.Retention;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * A backlog of 1,000,000 readings in the store bundle's SQLite outbox, drained by the real link to the embedded
 * Artemis broker on loopback: the time from {@link HeadendLink#start()} (connect and TLS handshake included) until
 * every message was published with QoS 1, acknowledged by PUBACK and deleted from the outbox. The readings are
 * stored as the metering bundle writes them, one readout of 16 readings per outbox message, and the link runs with
 * its default settings (batches of up to 500 readings and 64 KiB of JSON, in-flight window 16). A last run stores
 * one reading per outbox message, the shape that costs the planner most per reading.
 *
 * <p>Run twice: over mutual TLS straight to the broker (the production set-up), and in plaintext through a relay
 * that splits the client's stream into MQTT packets and counts the PUBLISH packets' bytes (fixed header, topic,
 * packet id, properties, payload), giving the MQTT bytes per reading on the wire. TCP/IP and TLS framing are not
 * counted. The link runs with its defaults, so readings batches go gzipped (level 1, {@link ReadingsCompression});
 * the relay inflates them, checks that every reading id arrived, and compares DEFLATE levels 1 and 6 (bytes and
 * compression speed) on the same JSON batches.
 *
 * <p>Not part of the test suite (surefire runs *Test classes only). Run:
 * {@code mvn -B -q -o -pl bundles/headend test -Dtest=DrainBenchmark}
 */
@Tag("benchmark")
class DrainBenchmark {

    private static final int READINGS = 1_000_000;
    private static final int READOUT = 16;
    private static final Duration GIVE_UP = Duration.ofMinutes(5);
    private static final String[][] REGISTERS = {
        {"1-0:1.8.0*255", "kWh"}, {"1-0:2.8.0*255", "kWh"}, {"1-0:1.8.1*255", "kWh"}, {"1-0:1.8.2*255", "kWh"},
        {"1-0:2.8.1*255", "kWh"}, {"1-0:2.8.2*255", "kWh"}, {"1-0:3.8.0*255", "kvarh"}, {"1-0:4.8.0*255", "kvarh"},
        {"1-0:32.7.0*255", "V"}, {"1-0:52.7.0*255", "V"}, {"1-0:72.7.0*255", "V"}, {"1-0:31.7.0*255", "A"},
        {"1-0:51.7.0*255", "A"}, {"1-0:71.7.0*255", "A"}, {"1-0:1.7.0*255", "kW"}, {"1-0:14.7.0*255", "Hz"}};

    @TempDir
    Path pkiDir;

    private final Path work = Path.of("target/benchmark-data").toAbsolutePath();

    @Test
    void millionReadingBacklogToTheBroker() throws Exception {
        Files.createDirectories(work);
        TestPki pki = new TestPki(pkiDir);
        TestBroker broker = new TestBroker(pki, true).start();
        StringBuilder out = new StringBuilder();
        try {
            out.append(String.format("Backlog: %,d readings in %,d outbox messages (readouts of %d) or, last row, %,d"
                    + " messages of one reading; SQLite outbox; link defaults (batches of up to 500 readings and 64 KiB,"
                    + " window 16); embedded Artemis 2.55.0 in memory, loopback; %d CPUs%n%n", READINGS,
                    READINGS / READOUT, READOUT, READINGS, Runtime.getRuntime().availableProcessors()));
            out.append("| link | load average at start | fill (s, not timed) | drain: published, acknowledged,"
                    + " deleted (s) | readings/s | PUBLISH packets | PUBLISH bytes | MQTT bytes per reading |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            // TLS before and after the plaintext run: the first run of a JVM also pays for JIT compilation
            out.append(drain(pki, broker, true, null, READOUT));
            String arrived;
            try (PublishCountingProxy proxy = new PublishCountingProxy(port(broker.plainUri()), true)) {
                out.append(drain(pki, broker, false, proxy, READOUT));
                arrived = contents(proxy);
            }
            out.append(drain(pki, broker, true, null, READOUT));
            out.append(drain(pki, broker, true, null, 1));
            out.append('\n').append(arrived);
        } finally {
            broker.close();
        }
        System.out.print(out);
        Path dir = Path.of("target/benchmarks");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("headend-drain.txt"), out.toString(), StandardCharsets.UTF_8);
    }

    private String drain(TestPki pki, TestBroker broker, boolean tls, PublishCountingProxy proxy, int perMessage)
            throws Exception {
        Path file = work.resolve("drain-" + System.nanoTime() + ".db");
        EmbeddedStore store = Stores.sqlite(file, 10_000_000L, 1L << 40); // limits that hold the whole backlog
        Outbox outbox = store.outbox();
        String gw = tls ? "gw-bench-tls" : "gw-bench-plain";
        try {
            String load = loadAverage();
            long fillStart = System.nanoTime();
            fill(outbox, perMessage);
            double fill = (System.nanoTime() - fillStart) / 1e9;
            String uri = tls ? broker.tlsUri() : "tcp://127.0.0.1:" + proxy.port();
            // the defaults of HeadendConfig (readings batches gzipped)
            HeadendSettings settings = new HeadendSettings(uri, 604_800, 60, 500, 65_536, Duration.ofMillis(5_000), 30,
                    Duration.ofSeconds(2), Duration.ofSeconds(300), 16, Duration.ofMillis(250), !tls, 5);
            HeadendLink link = new HeadendLink(settings, new TestIdentity(gw, pki.client(gw)), outbox, () -> null,
                    () -> null, new RecordingLog(), "bench", Clock.systemUTC());
            long start = System.nanoTime();
            link.start();
            double seconds;
            long left;
            try {
                long giveUp = start + GIVE_UP.toNanos();
                while (outbox.stats().messages() > 0 && System.nanoTime() < giveUp) {
                    Thread.sleep(5);
                }
                seconds = (System.nanoTime() - start) / 1e9;
                left = outbox.stats().messages();
            } finally {
                link.close();
            }
            String name = (tls ? "mutual TLS, direct" : "plaintext via counting relay")
                    + (perMessage == 1 ? ", one reading per outbox message" : "");
            if (left > 0) {
                return String.format("| %s | %s | %.1f | did not finish in %s: %d messages left | | | | |%n", name,
                        load, fill, GIVE_UP, left);
            }
            return String.format("| %s | %s | %.1f | **%.2f** | %,.0f | %s | %s | %s |%n", name, load, fill, seconds,
                    READINGS / seconds, proxy == null ? "–" : String.format("%,d", proxy.publishPackets()),
                    proxy == null ? "–" : String.format("%,d", proxy.publishBytes()),
                    proxy == null ? "–" : String.format("**%.1f**", (double) proxy.publishBytes() / READINGS));
        } finally {
            store.close();
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
    }

    /** What arrived at the relay: distinct reading ids, JSON and wire sizes, and DEFLATE levels 1 and 6 compared. */
    private static String contents(PublishCountingProxy proxy) throws Exception {
        Set<String> ids = new HashSet<>(READINGS * 2);
        long readings = 0;
        long payloadBytes = 0;
        long jsonBytes = 0;
        long gzipped = 0;
        List<byte[]> documents = new ArrayList<>();
        for (byte[] packet : proxy.publishPacketsKept()) {
            byte[] payload = payload(packet);
            String topic = topic(packet);
            if (!topic.endsWith("/readings")) {
                continue;
            }
            payloadBytes += payload.length;
            // a JSON document starts with '{', a gzip member with 1f 8b (the link sets content-encoding: gzip)
            boolean gzip = payload.length > 1 && payload[0] == (byte) 0x1f && payload[1] == (byte) 0x8b;
            byte[] json = gzip ? CompressedReadingsTest.gunzip(payload) : payload;
            gzipped += gzip ? 1 : 0;
            jsonBytes += json.length;
            documents.add(json);
            JsonArray list = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonArray("readings");
            for (JsonElement e : list) {
                ids.add(e.getAsJsonObject().get("id").getAsString());
                readings++;
            }
        }
        StringBuilder out = new StringBuilder(String.format("Plaintext run, readings topic: %,d readings published"
                + " (%,d distinct ids of %,d stored) in %,d messages, %,d of them gzipped; payload as sent %.1f bytes per"
                + " reading, JSON inflated %.1f bytes per reading%n", readings, ids.size(), READINGS, documents.size(),
                gzipped, (double) payloadBytes / readings, (double) jsonBytes / readings));
        out.append("DEFLATE of the same JSON batches, this JVM, one thread (best of 3):\n");
        for (int level : new int[] {1, 6}) {
            long best = Long.MAX_VALUE;
            long deflated = 0;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                deflated = deflate(documents, level);
                best = Math.min(best, System.nanoTime() - start);
            }
            out.append(String.format("  level %d: %.1f bytes per reading, %.0f MB of JSON per second%n", level,
                    (double) deflated / readings, jsonBytes / 1e6 / (best / 1e9)));
        }
        return out.toString();
    }

    private static long deflate(List<byte[]> documents, int level) {
        Deflater deflater = new Deflater(level, true);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try {
            for (byte[] json : documents) {
                deflater.reset();
                deflater.setInput(json);
                deflater.finish();
                while (!deflater.finished()) {
                    total += deflater.deflate(buf);
                }
            }
        } finally {
            deflater.end();
        }
        return total;
    }

    /** Payload of a QoS 1 MQTT 5 PUBLISH packet: after fixed header, topic, packet id and properties. */
    private static byte[] payload(byte[] p) {
        int i = 1;
        while ((p[i] & 0x80) != 0) {
            i++;
        }
        i++;
        int topicLength = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
        i += 2 + topicLength + 2; // topic, packet identifier (QoS 1)
        int propertiesLength = 0;
        int multiplier = 1;
        while (true) {
            int b = p[i++] & 0xFF;
            propertiesLength += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        i += propertiesLength;
        byte[] out = new byte[p.length - i];
        System.arraycopy(p, i, out, 0, out.length);
        return out;
    }

    private static String topic(byte[] p) {
        int i = 1;
        while ((p[i] & 0x80) != 0) {
            i++;
        }
        i++;
        int topicLength = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
        return new String(p, i + 2, topicLength, StandardCharsets.UTF_8);
    }

    private static void fill(Outbox outbox, int perMessage) throws Exception {
        int messages = READINGS / perMessage;
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                done.add(pool.submit(() -> {
                    for (long n; (n = next.getAndIncrement()) < messages; ) {
                        long first = n * perMessage;
                        outbox.append(MessageKind.READING, meter(first), Retention.ROUTINE, readings(first, perMessage));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Readings {@code first} to {@code first + count - 1} of the backlog as the metering bundle stores them: an array of
     * reading objects with their ids. Reading {@code g} is register {@code g % 16} of readout {@code g / 16}; readouts
     * go round 100 meters, a quarter of an hour apart per meter.
     */
    private static String readings(long first, int count) {
        StringBuilder b = new StringBuilder("[");
        for (long g = first; g < first + count; g++) {
            long readout = g / READOUT;
            int i = (int) (g % READOUT);
            String meter = meter(g);
            Instant ts = Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofMinutes(15 * (readout / 100)));
            long value = 1_000_000 + new Random(g).nextInt(90_000_000);
            b.append(g == first ? "" : ",").append("{\"id\":\"").append(meter).append('|').append(REGISTERS[i][0])
                    .append('|').append(ts).append("\",\"meter\":\"").append(meter).append("\",\"obis\":\"")
                    .append(REGISTERS[i][0]).append("\",\"value\":").append(value / 1000).append('.')
                    .append(String.format("%03d", value % 1000)).append(",\"scaler\":0,\"unit\":\"")
                    .append(REGISTERS[i][1]).append("\",\"ts\":\"").append(ts).append("\",\"status\":\"ok\"}");
        }
        return b.append(']').toString();
    }

    private static String meter(long reading) {
        return String.format("m%04d", reading / READOUT % 100);
    }

    /** Other work on the machine shows in the figures; the 1-minute load average says how much there was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static int port(String uri) {
        return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    }
}
