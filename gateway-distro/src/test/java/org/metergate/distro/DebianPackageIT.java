// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds: its control data, files and unit read with dpkg-deb; as root on a
 * machine without a running systemd (a container, CI) it is also installed, booted as the service user,
 * upgraded to a newer version, removed and purged with dpkg.
 */
class DebianPackageIT {

    private static final Duration DPKG_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final String UNIT_PATH = "/usr/lib/systemd/system/metergate.service";
    private static final Path CONF = Path.of("/etc/metergate");
    private static final Path DATA = Path.of("/var/lib/metergate");
    private static final Path HOME = Path.of("/opt/metergate");

    private static DebianPackage deb;
    private static Path distro;

    @BeforeAll
    static void findPackage() throws IOException {
        assumeTrue(ExternalCommand.onPath("dpkg-deb"), "dpkg-deb is not installed: the .deb cannot be inspected here");
        deb = DebianPackage.built();
        distro = Path.of(System.getProperty(GatewayUnderTest.DISTRO_PROPERTY, "target/metergate"));
    }

    @Test
    void controlFieldsDescribeAnArchitectureIndependentPackageThatNeedsJava17() throws Exception {
        Map<String, String> fields = deb.fields();

        assertThat(fields.get("Package")).isEqualTo("metergate");
        String projectVersion = System.getProperty("metergate.version", "");
        assertThat(fields.get("Version"))
                .isEqualTo(projectVersion.replace("-SNAPSHOT", "~SNAPSHOT"))
                .matches("[0-9][A-Za-z0-9.+~]*");
        assertThat(deb.file.getFileName().toString()).isEqualTo("metergate_" + fields.get("Version") + "_all.deb");
        assertThat(fields.get("Architecture")).isEqualTo("all");
        List<String> javaAlternatives = Arrays.stream(fields.get("Depends").split(","))
                .map(String::trim).filter(d -> d.contains("jre") || d.contains("java")).collect(Collectors.toList());
        assertThat(javaAlternatives).containsExactly("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
        assertThat(fields.get("Depends")).as("socat forwards the watchdog pings").containsPattern("(^|, )socat(,|$)");
        assertThat(fields.get("Maintainer")).isNotBlank();
        assertThat(fields.get("Section")).isNotBlank();
        assertThat(Long.parseLong(fields.get("Installed-Size"))).as("Installed-Size in KiB").isPositive();
        assertThat(fields.get("Description")).contains("\n");
    }

    @Test
    void conffilesAreTheDistributionConfigurationAndTheServiceEnvironment(@TempDir Path work) throws Exception {
        Path control = deb.extractControl(work.resolve("control"));

        Set<String> expected = new TreeSet<>();
        for (String relative : regularFilesUnder(distro.resolve("conf"))) {
            expected.add("/etc/metergate/" + relative);
        }
        expected.add("/etc/default/metergate");
        assertThat(expected).contains("/etc/metergate/org.metergate.log.cfg", "/etc/metergate/org.metergate.store.cfg");
        assertThat(new TreeSet<>(Files.readAllLines(control.resolve("conffiles"))))
                .as("conffiles: kept on upgrade when changed locally").isEqualTo(expected);

        Set<String> packagedFiles = deb.contents().stream().filter(DebianPackage.Entry::isRegularFile)
                .map(e -> e.path).collect(Collectors.toSet());
        assertThat(packagedFiles).containsAll(expected);
    }

    @Test
    void maintainerScriptsArePresentExecutableAndValidShell(@TempDir Path work) throws Exception {
        Path control = deb.extractControl(work.resolve("control"));

        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertThat(file).as(script).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(script)
                    .isEqualTo("rwxr-xr-x");
            assertThat(Files.readAllLines(file).get(0)).as(script + " interpreter").isEqualTo("#!/bin/sh");
            ExternalCommand.run(Duration.ofSeconds(30), "sh", "-n", file.toString()).orFail();
        }
        assertThat(control.resolve("preinst")).doesNotExist();
    }

    @Test
    void filesAreInOptEtcAndSystemdOwnedByRootWithTheDistributionsModes() throws Exception {
        List<DebianPackage.Entry> entries = deb.contents();
        Map<String, DebianPackage.Entry> byPath = entries.stream()
                .collect(Collectors.toMap(e -> e.path, e -> e, (a, b) -> { throw new AssertionError("twice: " + a); }));

        assertThat(entries).allSatisfy(e -> {
            assertThat(e.owner + "/" + e.group).as(e.toString()).isEqualTo("root/root");
            assertThat(e.mode).as(e + ": no setuid/setgid/sticky").doesNotContain("s", "S", "t", "T");
            if (!e.isSymlink()) {
                assertThat(e.mode.charAt(8)).as(e + ": not world-writable").isEqualTo('-');
            }
            if (e.isDirectory()) {
                assertThat(e.mode).as(e.toString()).isEqualTo("drwxr-xr-x");
            }
        });
        assertThat(entries).as("/var/lib/metergate is made by postinst, owned by the service user")
                .noneMatch(e -> e.path.startsWith("/var"));
        Set<String> ownPaths = Set.of("/opt/metergate", "/etc/metergate", "/etc/default/metergate", UNIT_PATH,
                "/usr/share/doc/metergate");
        assertThat(entries).filteredOn(e -> !e.isDirectory())
                .allSatisfy(e -> assertThat(ownPaths).as(e.toString()).anyMatch(own -> e.path.startsWith(own)));

        // /opt/metergate is the distribution without conf/ and data/, which are links to /etc and /var/lib
        for (String relative : regularFilesUnder(distro)) {
            if (relative.startsWith("conf/") || relative.startsWith("data/")) {
                continue;
            }
            DebianPackage.Entry entry = byPath.get("/opt/metergate/" + relative);
            assertThat(entry).as("/opt/metergate/" + relative).isNotNull();
            assertThat(entry.mode).as(entry.toString())
                    .isEqualTo(relative.equals("bin/metergate") ? "-rwxr-xr-x" : "-rw-r--r--");
        }
        assertThat(byPath.get("/opt/metergate/conf")).matches(DebianPackage.Entry::isSymlink)
                .extracting(e -> e.linkTarget).isEqualTo("/etc/metergate");
        assertThat(byPath.get("/opt/metergate/data")).matches(DebianPackage.Entry::isSymlink)
                .extracting(e -> e.linkTarget).isEqualTo("/var/lib/metergate");
        for (String path : List.of(UNIT_PATH, "/etc/default/metergate", "/usr/share/doc/metergate/copyright",
                "/usr/share/doc/metergate/packaging.md")) {
            assertThat(byPath.get(path)).as(path).isNotNull().matches(DebianPackage.Entry::isRegularFile)
                    .extracting(e -> e.mode).isEqualTo("-rw-r--r--");
        }
    }

    @Test
    void unitRunsTheLauncherAsTheServiceUserRestartsOnFailureAndIsHardened(@TempDir Path work) throws Exception {
        Path root = deb.extractFiles(work.resolve("root"));
        SystemdUnit unit = SystemdUnit.read(root.resolve(UNIT_PATH.substring(1)));

        assertThat(unit.value("Service", "User")).isEqualTo("metergate");
        assertThat(unit.value("Service", "ExecStart")).isEqualTo("/opt/metergate/bin/metergate run");
        assertThat(root.resolve("opt/metergate/bin/metergate")).isExecutable();
        assertThat(unit.value("Service", "Type")).isEqualTo("simple");
        assertThat(unit.value("Service", "Restart")).isEqualTo("on-failure");
        assertThat(unit.value("Service", "SuccessExitStatus")).as("a JVM stopped by SIGTERM exits with 143")
                .isEqualTo("143");
        assertThat(unit.value("Service", "WatchdogSec")).as("the gateway pings the watchdog (bundles/host)")
                .matches("[0-9]+");
        assertThat(unit.value("Service", "NotifyAccess")).as("the pings come from the gateway's socat child")
                .isEqualTo("all");
        assertThat(unit.value("Service", "MemoryMax")).matches("[0-9]+M");
        assertThat(unit.value("Service", "NoNewPrivileges")).isEqualTo("yes");
        assertThat(unit.value("Service", "ProtectSystem")).isEqualTo("strict");
        assertThat(unit.values("Service", "ReadWritePaths")).containsExactly("/var/lib/metergate /etc/metergate");
        assertThat(unit.value("Service", "ProtectHome")).isEqualTo("yes");
        assertThat(unit.value("Service", "PrivateTmp")).isEqualTo("yes");
        assertThat(unit.section("Service")).as("serial ports must stay reachable").doesNotContainKey("PrivateDevices");
        assertThat(unit.section("Service")).as("the JIT needs writable executable memory")
                .doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(unit.value("Install", "WantedBy")).isEqualTo("multi-user.target");
    }

    /**
     * The whole life cycle with dpkg. Only as root and only where systemd is not running (containers, CI): on a
     * machine with systemd the postinst would start the service for real, and an existing installation is never
     * touched.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void installsBootsAsTheServiceUserUpgradesKeepingConfigAndDataAndPurges(@TempDir Path work) throws Exception {
        assumeTrue(ExternalCommand.onPath("dpkg") && ExternalCommand.onPath("setpriv"), "needs dpkg and setpriv");
        assumeTrue("0".equals(ExternalCommand.run(Duration.ofSeconds(10), "id", "-u").orFail().output.trim()),
                "installing the package needs root");
        assumeTrue(!Files.isDirectory(Path.of("/run/systemd/system")),
                "systemd is running here: installing would start the service on this machine");
        assumeTrue(installedVersion() == null, "a metergate package is already installed here; it is left alone");

        try {
            String version = deb.fields().get("Version");
            dpkg("--install", deb.file.toString());
            assertThat(installedVersion()).isEqualTo(version);
            assertServiceUserAndDirectories();
            if (ExternalCommand.onPath("systemd-analyze")) {
                // systemd's own check of the installed unit: unknown keys or bad values are warnings only
                String verify = ExternalCommand.run(Duration.ofSeconds(60), "systemd-analyze", "verify", UNIT_PATH)
                        .orFail().output;
                assertThat(verify).as("systemd-analyze verify").doesNotContain("metergate.service:");
            }

            // a local change to a conffile: the store keeps its database under another name
            Path storeConfig = CONF.resolve("org.metergate.store.cfg");
            String localStoreConfig = "# changed on this gateway\ntype=sqlite\npath=packaged-test.db\n";
            Files.writeString(storeConfig, localStoreConfig, StandardCharsets.UTF_8);

            bootServiceCommandUntilDatabaseOpens("packaged-test.db");
            Path database = DATA.resolve("packaged-test.db");
            assertThat(Files.getOwner(database).getName()).isEqualTo("metergate");
            assertThat(Files.getOwner(DATA.resolve("log/metergate.log")).getName()).isEqualTo("metergate");
            byte[] databaseBefore = Files.readAllBytes(database);

            String newer = version + "+1";
            ExternalCommand.run(Duration.ofSeconds(10), "dpkg", "--compare-versions", newer, "gt", version).orFail();
            DebianPackage upgrade = deb.withVersion(newer, work);
            dpkg("--install", upgrade.file.toString());
            assertThat(installedVersion()).isEqualTo(newer);
            assertThat(Files.readString(storeConfig, StandardCharsets.UTF_8)).as("changed conffile kept")
                    .isEqualTo(localStoreConfig);
            try (Stream<Path> files = Files.list(CONF)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".dpkg-"));
            }
            assertThat(Files.readAllBytes(database)).as("database kept").isEqualTo(databaseBefore);
            assertServiceUserAndDirectories();

            dpkg("--remove", "metergate");
            assertThat(HOME.resolve("bin/metergate")).doesNotExist();
            assertThat(Path.of(UNIT_PATH)).doesNotExist();
            assertThat(Files.readString(storeConfig, StandardCharsets.UTF_8)).as("remove keeps configuration")
                    .isEqualTo(localStoreConfig);
            assertThat(Files.readAllBytes(database)).as("remove keeps data").isEqualTo(databaseBefore);

            dpkg("--purge", "metergate");
            assertThat(installedVersion()).isNull();
            for (Path gone : List.of(CONF, DATA, HOME, Path.of("/etc/default/metergate"),
                    Path.of("/etc/systemd/system/multi-user.target.wants/metergate.service"))) {
                assertThat(Files.exists(gone, LinkOption.NOFOLLOW_LINKS)).as(gone + " after purge").isFalse();
            }
            assertThat(ExternalCommand.run(Duration.ofSeconds(30), "dpkg-statoverride", "--list").orFail().output)
                    .doesNotContain("/etc/metergate");
            assertThat(ExternalCommand.run(Duration.ofSeconds(10), "getent", "passwd", "metergate").exitCode)
                    .as("the system user stays after purge (its id may still own files elsewhere)").isZero();
        } finally {
            if (installedVersion() != null) {
                ExternalCommand.run(DPKG_TIMEOUT, "dpkg", "--purge", "metergate");
            }
        }
    }

    private static void assertServiceUserAndDirectories() throws Exception {
        String[] passwd = ExternalCommand.run(Duration.ofSeconds(10), "getent", "passwd", "metergate").orFail()
                .output.trim().split(":");
        assertThat(passwd[5]).as("home").isEqualTo("/var/lib/metergate");
        assertThat(passwd[6]).as("shell").isEqualTo("/usr/sbin/nologin");
        assertThat(Integer.parseInt(passwd[2])).as("a system user id").isLessThan(1000);
        if (ExternalCommand.run(Duration.ofSeconds(10), "getent", "group", "dialout").exitCode == 0) {
            String groups = ExternalCommand.run(Duration.ofSeconds(10), "id", "-nG", "metergate").orFail().output;
            assertThat(groups.trim().split("\\s+")).as("groups of metergate").contains("dialout");
        }
        assertOwnership(DATA, "metergate", "metergate", "rwxr-x---");
        assertOwnership(CONF, "root", "metergate", "rwxrwx---");
        assertOwnership(CONF.resolve("org.metergate.log.cfg"), "root", "root", "rw-r--r--");
        assertOwnership(HOME.resolve("bin/metergate"), "root", "root", "rwxr-xr-x");
        assertThat(Files.readSymbolicLink(HOME.resolve("conf"))).isEqualTo(CONF);
        assertThat(Files.readSymbolicLink(HOME.resolve("data"))).isEqualTo(DATA);
    }

    private static void assertOwnership(Path path, String owner, String group, String permissions) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        assertThat(attributes.owner().getName() + ":" + attributes.group().getName() + " "
                + PosixFilePermissions.toString(attributes.permissions()))
                .as(path.toString()).isEqualTo(owner + ":" + group + " " + permissions);
    }

    /**
     * Runs the unit's ExecStart as its User (what systemd would do, without systemd) until the store has opened
     * {@code databaseName} in /var/lib/metergate, then stops it with SIGTERM as systemctl stop does.
     */
    private static void bootServiceCommandUntilDatabaseOpens(String databaseName) throws Exception {
        SystemdUnit unit = SystemdUnit.read(Path.of(UNIT_PATH));
        String user = unit.value("Service", "User");
        String group = unit.value("Service", "Group");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group,
                "--init-groups", "--"));
        command.addAll(Arrays.asList(unit.value("Service", "ExecStart").split("\\s+")));

        Path output = Files.createTempFile("metergate-service-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(new File("/dev/null"));
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG", "C.UTF-8"));
        Process service = builder.start();
        try {
            Path database = DATA.resolve(databaseName);
            Path log = DATA.resolve("log/metergate.log");
            Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
            while (!(Files.exists(database) && Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8).contains(databaseName))) {
                if (!service.isAlive()) {
                    throw new AssertionError("service command " + command + " ended with " + service.exitValue()
                            + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("store did not open " + database + " within " + BOOT_TIMEOUT + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                Thread.sleep(200);
            }
            // setpriv and the launcher exec: the process is the JVM itself, as systemd's main process would be
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("stops after SIGTERM").isTrue();
            assertThat(service.exitValue()).as("exit status after SIGTERM (the unit's SuccessExitStatus)")
                    .isEqualTo(143);
        } finally {
            if (service.isAlive()) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(output);
        }
    }

    private static void dpkg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(arguments));
        ExternalCommand.run(DPKG_TIMEOUT, Map.of(), command).orFail();
    }

    /** The installed version of metergate, its dpkg status when only partly there (config-files, ...), or null. */
    private static String installedVersion() throws Exception {
        ExternalCommand.Result query = ExternalCommand.run(Duration.ofSeconds(30), "dpkg-query", "--show",
                "--showformat=${db:Status-Status} ${Version}", "metergate");
        if (query.exitCode != 0) {
            return null;
        }
        String[] statusAndVersion = query.output.trim().split(" ", 2);
        return statusAndVersion[0].equals("not-installed") ? null
                : statusAndVersion[0].equals("installed") ? statusAndVersion[1] : statusAndVersion[0];
    }

    private static List<String> regularFilesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
    }
}
