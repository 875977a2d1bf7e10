// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.metergate.headendsim.Pki;

/**
 * The assembled distribution, copied to a temporary directory and run as a separate JVM with exactly the
 * command line {@code bin/metergate run} builds (the JAVA_OPTS default read from that script, the same system
 * properties and {@code -jar bin/felix.jar}). The only difference: the shell reads a pipe held by the test
 * ({@code metergate.shell=stdin}, as when a technician runs it from a terminal), so shell commands such as
 * {@code mg:csr}, {@code mg:install-cert} and {@code metergate:headend} are typed in like a technician would.
 *
 * <p>{@link #kill()} is {@code kill -9} (no shutdown hooks, no clean offline); {@link #start()} again boots
 * the same directory, so {@code data/} (device key, outbox database) carries over.
 */
public final class GatewayProcess implements AutoCloseable {

    /** The launcher's default JVM options, {@code : "${JAVA_OPTS:=...}"} in bin/metergate. */
    private static final Pattern LAUNCHER_JAVA_OPTS = Pattern.compile(":\\s*\"\\$\\{JAVA_OPTS:=([^}]*)}\"");
    private static final Pattern CSR = Pattern.compile(
            "-----BEGIN CERTIFICATE REQUEST-----.*?-----END CERTIFICATE REQUEST-----", Pattern.DOTALL);
    private static final Pattern BACKLOG = Pattern.compile("backlog\\s+(\\d+) messages waiting");

    private final Path home;
    private final String gatewayId;
    private Process process;
    private Writer stdin;
    private Thread pump;
    private final StringBuffer console = new StringBuffer();
    private int markers;
    private int starts;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private GatewayProcess(Path home, String gatewayId) {
        this.home = home;
        this.gatewayId = gatewayId;
    }

    /**
     * Copies {@code target/metergate} to a temporary directory and writes the device identity
     * ({@code gatewayId}) and a log configuration that keeps standard output for the shell.
     */
    public static GatewayProcess copyOfDistribution(String gatewayId) throws IOException {
        Path distro = Path.of(System.getProperty(GatewayUnderTest.DISTRO_PROPERTY, "target/metergate")).toAbsolutePath();
        if (!Files.isDirectory(distro.resolve("bundle"))) {
            throw new IllegalStateException("no assembled distribution at " + distro
                    + " — run 'mvn -pl gateway-distro verify' (the package phase assembles it)");
        }
        Path home = Files.createTempDirectory("metergate-proc-").toRealPath();
        copyTree(distro, home);
        GatewayProcess gateway = new GatewayProcess(home, gatewayId);
        gateway.writeConf("org.metergate.security.cfg", "gatewayId=" + gatewayId + "\n");
        // the log still goes to data/log/metergate.log; the console carries only the shell's answers
        gateway.writeConf("org.metergate.log.cfg", "rootLevel=INFO\nloggerLevels=Events.Bundle=WARN, "
                + "Events.Service=WARN\nconsole=false\nfile=true\nmaxFileSizeKb=4096\nmaxFiles=3\n");
        gateway.writeConf("org.metergate.metering.cfg", "workerThreads=4\nlogReadings=false\n");
        // the console serves HTTPS from the first start; tests run several gateways, never on 8443 of every interface
        int consolePort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            consolePort = probe.getLocalPort();
        }
        gateway.writeConf("org.metergate.console.cfg", "host=127.0.0.1\nport=" + consolePort + "\n");
        return gateway;
    }

    public Path home() {
        return home;
    }

    public String gatewayId() {
        return gatewayId;
    }

    public Path database() {
        return home.resolve("data/metergate.db");
    }

    /** Writes (or replaces) a file in {@code conf/} atomically; FileInstall applies it, also while running. */
    public void writeConf(String fileName, String content) throws IOException {
        Path conf = home.resolve("conf");
        Path temp = conf.resolve("." + fileName + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, conf.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void deleteConf(String fileName) throws IOException {
        Files.deleteIfExists(home.resolve("conf").resolve(fileName));
    }

    /** conf/org.metergate.headend.cfg: the given broker with fast batching and reconnects, plus extra keys. */
    public void writeHeadendConfig(String brokerUri, Map<String, String> extra) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("brokerUri=").append(brokerUri).append('\n');
        b.append("batchMaxAgeMs=200\nreconnectInitialSeconds=1\nreconnectMaxSeconds=2\nconnectTimeoutSeconds=5\n");
        b.append("keepAliveSeconds=10\noutboxPollMs=50\nwillDelaySeconds=1\n");
        extra.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        writeConf("org.metergate.headend.cfg", b.toString());
    }

    /** conf/org.metergate.iec62056.meter-&lt;id&gt;.cfg polling a simulated meter on TCP. */
    public void writeMeterConfig(String meterId, int tcpPort, int pollIntervalSeconds) throws IOException {
        writeMeterConfig(meterId, tcpPort, pollIntervalSeconds, Map.of());
    }

    /** The same with extra keys, e.g. {@code retries}; they replace the defaults written here. */
    public void writeMeterConfig(String meterId, int tcpPort, int pollIntervalSeconds, Map<String, String> extra)
            throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("meterId", meterId);
        keys.put("link", "tcp://127.0.0.1:" + tcpPort);
        keys.put("pollIntervalSeconds", String.valueOf(pollIntervalSeconds));
        keys.put("timeoutMs", "2000");
        keys.put("backoffInitialSeconds", "1");
        keys.put("backoffMaxSeconds", "2");
        keys.putAll(extra);
        StringBuilder b = new StringBuilder();
        keys.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        writeConf("org.metergate.iec62056.meter-" + meterId + ".cfg", b.toString());
    }

    /** An environment variable for the next {@link #start()}, as a service manager would set it. */
    public synchronized GatewayProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts the gateway JVM on this directory. */
    public synchronized GatewayProcess start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("gateway process already running (pid " + process.pid() + ")");
        }
        Path data = home.resolve("data");
        Files.createDirectories(data.resolve("tmp"));
        Files.createDirectories(data.resolve("log"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherJavaOptions());
        command.add("-Dmetergate.home=" + home);
        command.add("-Dfelix.config.properties=file:" + home + "/etc/config.properties");
        command.add("-Dfelix.system.properties=file:" + home + "/etc/system.properties");
        command.add("-Djava.io.tmpdir=" + data.resolve("tmp"));
        command.add("-Dgosh.args=--nointeractive");
        command.add("-Dmetergate.shell=stdin");
        command.add("-jar");
        command.add(home.resolve("bin/felix.jar").toString());
        starts++;
        Path consoleLog = data.resolve("log/console-" + starts + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        console.setLength(0);
        InputStream out = process.getInputStream();
        pump = new Thread(() -> copyConsole(out, consoleLog), "gateway-console-" + starts);
        pump.setDaemon(true);
        pump.start();
        return this;
    }

    private List<String> launcherJavaOptions() throws IOException {
        Path launcher = home.resolve("bin/metergate");
        Matcher m = LAUNCHER_JAVA_OPTS.matcher(Files.readString(launcher));
        if (!m.find()) {
            throw new IllegalStateException("no default JAVA_OPTS line in " + launcher);
        }
        return List.of(m.group(1).trim().split("\\s+"));
    }

    private void copyConsole(InputStream in, Path file) {
        byte[] buffer = new byte[8192];
        try (in; OutputStream log = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                log.write(buffer, 0, n);
                log.flush();
                console.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /**
     * Types one shell command and returns what it printed. A marker echoed after it tells where the
     * answer ends; the shell's prompts are removed.
     */
    public synchronized String execute(String commandLine, Duration timeout) throws IOException, InterruptedException {
        if (!isRunning()) {
            throw new IllegalStateException("gateway process is not running");
        }
        String marker = "__metergate_it_" + (++markers) + "__";
        int from = console.length();
        stdin.write(commandLine + "\necho " + marker + "\n");
        stdin.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int end = console.indexOf(marker, from);
            if (end >= 0) {
                return console.substring(from, end).replace("g! ", "");
            }
            if (!process.isAlive()) {
                throw new AssertionError("gateway process ended while running '" + commandLine + "'; console:\n"
                        + console.substring(from));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer to '" + commandLine + "' within " + timeout + "; console:\n"
                        + console.substring(from));
            }
            Thread.sleep(20);
        }
    }

    public String execute(String commandLine) throws IOException, InterruptedException {
        return execute(commandLine, Duration.ofSeconds(30));
    }

    /** Runs the command repeatedly until its output matches; returns it or fails with the last output. */
    public String awaitCommandOutput(String commandLine, Predicate<String> expected, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = execute(commandLine, timeout);
            if (expected.test(last)) {
                return last;
            }
            Thread.sleep(150);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + commandLine + "' did not show the expected output within " + timeout
                + "; last output:\n" + last);
    }

    /** The head-end link status ({@code metergate:headend}) once the link component reports one. */
    public String headendStatus() throws IOException, InterruptedException {
        return awaitCommandOutput("metergate:headend", out -> out.contains("state "), Duration.ofSeconds(30));
    }

    /** Messages waiting in the outbox, from {@code metergate:headend}. */
    public int backlog() throws IOException, InterruptedException {
        Matcher m = BACKLOG.matcher(headendStatus());
        if (!m.find()) {
            throw new AssertionError("metergate:headend shows no backlog line");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Waits until at least {@code messages} wait in the outbox; fails with the link status. */
    public int awaitBacklog(int messages, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = backlog()) < messages) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the backlog stayed at " + last + " messages, expected " + messages
                        + " within " + timeout + "; link status:\n" + headendStatus());
            }
            Thread.sleep(200);
        }
        return last;
    }

    /**
     * Commissions the gateway as a technician would: {@code mg:csr}, the head-end CA signs it, then
     * {@code mg:install-cert <chain> <ca>}. Returns the install command's answer.
     */
    public String commission(Pki pki) throws Exception {
        return installCertificate(pki.signCsr(certificationRequest()), Files.readString(pki.caPem()));
    }

    /** The gateway's PEM certification request, once the device identity is up. */
    public String certificationRequest() throws IOException, InterruptedException {
        String out = awaitCommandOutput("mg:csr", s -> CSR.matcher(s).find(), Duration.ofSeconds(60));
        Matcher m = CSR.matcher(out);
        m.find();
        return m.group() + "\n";
    }

    /** Writes the chain and CA to files under the gateway's home and runs {@code mg:install-cert}. */
    public String installCertificate(String chainPem, String caPem) throws IOException, InterruptedException {
        Path chain = home.resolve("chain-" + markers + ".pem");
        Path ca = home.resolve("ca-" + markers + ".pem");
        Files.writeString(chain, chainPem);
        Files.writeString(ca, caPem);
        return execute("mg:install-cert " + chain + " " + ca);
    }

    /** The gateway's own log file, data/log/metergate.log (empty if not written yet). */
    public String log() throws IOException {
        Path log = home.resolve("data/log/metergate.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** {@code kill -9}: the JVM ends at once, without shutdown hooks or a clean MQTT disconnect. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("gateway process " + process.pid() + " did not end after SIGKILL");
            }
            awaitPump();
        }
    }

    /** Clean stop: closing the shell's input stops the shell and the framework, as at the end of a terminal session. */
    public synchronized void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
        awaitPump();
    }

    private void awaitPump() throws InterruptedException {
        if (pump != null) {
            pump.join(5_000);
        }
    }

    /** What the outbox holds now; only while the gateway is stopped or killed (a running one keeps writing). */
    public synchronized OutboxSnapshot outboxSnapshot() throws Exception {
        if (isRunning()) {
            throw new IllegalStateException("the gateway is running: a copy of its database could be torn");
        }
        return OutboxSnapshot.read(database(), Files.createDirectories(home.resolve("snapshots")));
    }

    @Override
    public void close() throws Exception {
        try {
            kill();
        } finally {
            deleteTree(home);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root) || Boolean.getBoolean("metergate.it.keep")) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
