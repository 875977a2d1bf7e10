// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The assembled distribution, copied to a temporary directory and booted in this JVM with its own
 * {@code etc/config.properties} and auto-deploy rules, so exactly the shipped bundles run.
 *
 * <p>Typical use:
 * <pre>{@code
 * try (GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
 *     gateway.writeMeterConfig("m1", "tcp://127.0.0.1:" + fleet.tcpPort("m1"));
 *     gateway.start();
 *     gateway.awaitCommandOutput("mg:meters", out -> out.contains("ONLINE"), Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Services from the framework live in a different class space than this test (their API packages
 * are loaded by bundles), so DS runtime and Gogo are driven by reflection on their public API.
 */
public final class GatewayUnderTest implements AutoCloseable {

    /** Set by the failsafe configuration in the pom; falls back to the usual build location. */
    public static final String DISTRO_PROPERTY = "metergate.distro";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private Framework framework;

    private GatewayUnderTest(Path home) {
        this.home = home;
    }

    /** Copies the assembled distribution ({@code target/metergate}) into a fresh temporary directory. */
    public static GatewayUnderTest copyOfDistribution() throws IOException {
        Path distro = Path.of(System.getProperty(DISTRO_PROPERTY, "target/metergate")).toAbsolutePath();
        if (!Files.isDirectory(distro.resolve("bundle"))) {
            throw new IllegalStateException("no assembled distribution at " + distro
                    + " — run 'mvn -pl gateway-distro verify' (the package phase assembles it)");
        }
        Path home = Files.createTempDirectory("metergate-it-").toRealPath();
        copyTree(distro, home);
        GatewayUnderTest gateway = new GatewayUnderTest(home);
        gateway.consoleOnLoopback();
        return gateway;
    }

    /**
     * The shipped console listens on 8443 on every interface; tests run several gateways at once, so each one's
     * console gets loopback and a port that was free a moment ago ({@link #consolePort()}).
     */
    private void consoleOnLoopback() throws IOException {
        Path file = confDir().resolve("org.metergate.console.cfg");
        if (!Files.exists(file)) {
            return;
        }
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String content = Files.readString(file, StandardCharsets.UTF_8)
                .replaceAll("(?m)^port=.*$", "port=" + port)
                .replaceAll("(?m)^host=.*$", "host=127.0.0.1");
        writeConf(file.getFileName().toString(), content);
    }

    /** The console's port in this copy (on 127.0.0.1), or -1 when the distribution ships no console configuration. */
    public int consolePort() throws IOException {
        Path file = confDir().resolve("org.metergate.console.cfg");
        if (!Files.exists(file)) {
            return -1;
        }
        Properties console = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            console.load(in);
        }
        return Integer.parseInt(console.getProperty("port").strip());
    }

    public Path home() {
        return home;
    }

    public Path confDir() {
        return home.resolve("conf");
    }

    public Path dataDir() {
        return home.resolve("data");
    }

    /** Writes (or replaces) a file in {@code conf/}; FileInstall applies it, also while running. */
    public Path writeConf(String fileName, String content) throws IOException {
        Path file = confDir().resolve(fileName);
        Path temp = confDir().resolve("." + fileName + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        // atomic, so FileInstall never reads half a file
        return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes {@code conf/org.metergate.iec62056.meter-<meterId>.cfg} with the given link and the
     * optional extra keys (for example {@code pollIntervalSeconds}, {@code timeoutMs}).
     */
    public Path writeMeterConfig(String meterId, String link, Map<String, String> extraKeys) throws IOException {
        StringBuilder content = new StringBuilder();
        content.append("meterId=").append(meterId).append('\n');
        content.append("link=").append(link).append('\n');
        extraKeys.forEach((key, value) -> content.append(key).append('=').append(value).append('\n'));
        return writeConf("org.metergate.iec62056.meter-" + meterId + ".cfg", content.toString());
    }

    public Path writeMeterConfig(String meterId, String link) throws IOException {
        return writeMeterConfig(meterId, link, Map.of());
    }

    /** Boots the framework the way bin/metergate does and waits until the final start level is reached. */
    public GatewayUnderTest start() throws Exception {
        if (framework != null) {
            throw new IllegalStateException("gateway already started");
        }
        Map<String, String> config = frameworkProperties();
        // the interactive shell would read the test JVM's stdin, which belongs to the test runner
        config.put("gosh.args", "--nointeractive");
        // sqlite-jdbc reads this as a system property when it extracts its native library
        System.setProperty("org.sqlite.tmpdir", dataDir().resolve("tmp").toString());
        Files.createDirectories(dataDir().resolve("tmp"));

        framework = new FrameworkFactory().newFramework(config);
        framework.init();
        AutoProcessor.process(config, framework.getBundleContext());
        framework.start();
        int beginning = Integer.parseInt(config.getOrDefault(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1"));
        FrameworkStartLevel startLevel = framework.adapt(FrameworkStartLevel.class);
        awaitTrue("framework start level " + beginning, START_TIMEOUT,
                () -> startLevel.getStartLevel() >= beginning);
        return this;
    }

    /** etc/config.properties with ${metergate.home} and other ${...} resolved, as felix.main does. */
    Map<String, String> frameworkProperties() throws IOException {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve("etc/config.properties"))) {
            raw.load(reader);
        }
        Map<String, String> known = new HashMap<>();
        known.put("metergate.home", home.toString());
        Map<String, String> resolved = new LinkedHashMap<>();
        for (String key : raw.stringPropertyNames()) {
            resolved.put(key, substitute(raw.getProperty(key), known));
        }
        return resolved;
    }

    private static String substitute(String value, Map<String, String> known) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = known.getOrDefault(name, System.getProperty(name, ""));
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    public BundleContext context() {
        if (framework == null) {
            throw new IllegalStateException("gateway not started; call start() first");
        }
        return framework.getBundleContext();
    }

    public List<Bundle> bundles() {
        return List.of(context().getBundles());
    }

    /** Symbolic name → state name (ACTIVE, RESOLVED, INSTALLED, ...) for every bundle but the framework. */
    public Map<String, String> bundleStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (Bundle bundle : bundles()) {
            if (bundle.getBundleId() != 0) {
                states.put(bundle.getSymbolicName(), stateName(bundle.getState()));
            }
        }
        return states;
    }

    public static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    public static String stateName(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            default: return "state " + state;
        }
    }

    /** One DS component configuration as reported by ServiceComponentRuntime. */
    public static final class ComponentState {
        public final String bundle;
        public final String component;
        public final String state;
        public final String detail;

        ComponentState(String bundle, String component, String state, String detail) {
            this.bundle = bundle;
            this.component = component;
            this.state = state;
            this.detail = detail;
        }

        public boolean isHealthy() {
            return state.equals("ACTIVE") || state.equals("SATISFIED");
        }

        @Override
        public String toString() {
            return component + " [" + bundle + "] " + state + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /**
     * Every configuration of every enabled DS component. A component that needs a configuration it has
     * not got yet (configuration policy REQUIRE) has none and is listed with state NO_CONFIGURATION.
     */
    public List<ComponentState> componentStates() throws Exception {
        ServiceReference<?> reference = anyService("org.osgi.service.component.runtime.ServiceComponentRuntime");
        if (reference == null) {
            throw new IllegalStateException("no ServiceComponentRuntime service — is org.apache.felix.scr active?");
        }
        Object runtime = context().getService(reference);
        try {
            Method descriptions = findMethod(runtime.getClass(), "getComponentDescriptionDTOs", 1);
            Class<?> bundleArray = descriptions.getParameterTypes()[0];
            Object all = descriptions.invoke(runtime, Array.newInstance(bundleArray.getComponentType(), 0));
            Method configurations = findMethod(runtime.getClass(), "getComponentConfigurationDTOs", 1);
            Method isEnabled = findMethod(runtime.getClass(), "isComponentEnabled", 1);
            List<ComponentState> result = new ArrayList<>();
            for (Object description : (Iterable<?>) all) {
                String name = (String) field(description, "name");
                Object bundleDto = field(description, "bundle");
                String bundleName = (String) field(bundleDto, "symbolicName");
                if (!(Boolean) isEnabled.invoke(runtime, description)) {
                    continue;
                }
                Iterable<?> configs = (Iterable<?>) configurations.invoke(runtime, description);
                boolean any = false;
                for (Object config : configs) {
                    any = true;
                    int state = (Integer) field(config, "state");
                    result.add(new ComponentState(bundleName, name, componentStateName(state), describeProblem(config)));
                }
                if (!any) {
                    result.add(new ComponentState(bundleName, name, "NO_CONFIGURATION",
                            "configuration policy " + field(description, "configurationPolicy")));
                }
            }
            return result;
        } finally {
            context().ungetService(reference);
        }
    }

    private static String describeProblem(Object config) throws Exception {
        List<String> parts = new ArrayList<>();
        Object unsatisfied = field(config, "unsatisfiedReferences");
        if (unsatisfied != null) {
            for (int i = 0; i < Array.getLength(unsatisfied); i++) {
                Object reference = Array.get(unsatisfied, i);
                parts.add("missing reference " + field(reference, "name") + " " + field(reference, "target"));
            }
        }
        Object failure = optionalField(config, "failure");
        if (failure != null) {
            parts.add("failure: " + failure.toString().lines().findFirst().orElse(""));
        }
        return String.join("; ", parts);
    }

    static String componentStateName(int state) {
        switch (state) {
            case 1: return "UNSATISFIED_CONFIGURATION";
            case 2: return "UNSATISFIED_REFERENCE";
            case 4: return "SATISFIED";
            case 8: return "ACTIVE";
            case 16: return "FAILED_ACTIVATION";
            default: return "state " + state;
        }
    }

    /**
     * Runs one Gogo command (for example {@code mg:meters}) through the CommandProcessor service and
     * returns what it printed plus its formatted result. A failing command returns its error text, so
     * tests can assert on technician-facing messages.
     */
    public String execute(String commandLine) throws Exception {
        ServiceReference<?> reference = anyService("org.apache.felix.service.command.CommandProcessor");
        if (reference == null) {
            throw new IllegalStateException("no Gogo CommandProcessor service — is org.apache.felix.gogo.runtime active?");
        }
        Object processor = context().getService(reference);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Method createSession = findMethod(processor.getClass(), "createSession", 3);
            Object session = createSession.invoke(processor, InputStream.nullInputStream(), out, out);
            try {
                Object result = findMethod(session.getClass(), "execute", 1).invoke(session, commandLine);
                if (result != null) {
                    Object formatted = findMethod(session.getClass(), "format", 2).invoke(session, result, 0);
                    out.println(formatted);
                }
            } catch (InvocationTargetException e) {
                out.println(e.getCause());
            } finally {
                findMethod(session.getClass(), "close", 0).invoke(session);
            }
        } finally {
            context().ungetService(reference);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs the command repeatedly until its output matches; returns that output or fails with the last one. */
    public String awaitCommandOutput(String commandLine, Predicate<String> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = execute(commandLine);
            if (expected.test(last)) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + commandLine + "' did not show the expected output within " + timeout
                + "; last output:\n" + last);
    }

    /** A text file's content, or "" while it is missing or cannot be read whole (being written), for polling. */
    public static String textOf(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** How often {@code part} occurs in {@code text}, without overlaps. */
    public static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    /** Polls the condition until it holds; fails naming what was awaited. */
    public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops the framework like a clean shutdown and keeps the copy (data, conf), so {@link #start()} boots the same
     * installation again: a gateway restart.
     */
    public void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(Duration.ofSeconds(30).toMillis());
            framework = null;
        }
    }

    /** Stops the framework, waits for it, and deletes the copy. */
    @Override
    public void close() throws Exception {
        try {
            if (framework != null) {
                framework.stop();
                framework.waitForStop(Duration.ofSeconds(30).toMillis());
                framework = null;
            }
        } finally {
            deleteTree(home);
        }
    }

    /**
     * getAllServiceReferences, not getServiceReference: the framework hides services whose class the
     * caller could load differently, and this test's classpath holds the same API jars.
     */
    private ServiceReference<?> anyService(String className) throws Exception {
        ServiceReference<?>[] references = context().getAllServiceReferences(className, null);
        return references == null || references.length == 0 ? null : references[0];
    }

    private static Method findMethod(Class<?> type, String name, int parameters) {
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            for (Class<?> iface : candidate.getInterfaces()) {
                for (Method method : iface.getMethods()) {
                    if (method.getName().equals(name) && method.getParameterCount() == parameters) {
                        return method;
                    }
                }
            }
        }
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == parameters) {
                method.setAccessible(true);
                return method;
            }
        }
        throw new IllegalStateException("no public method " + name + " with " + parameters + " parameters on " + type);
    }

    private static Object field(Object target, String name) throws Exception {
        Field field = target.getClass().getField(name);
        return field.get(target);
    }

    private static Object optionalField(Object target, String name) throws Exception {
        try {
            return field(target, name);
        } catch (NoSuchFieldException e) {
            return null;
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
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
