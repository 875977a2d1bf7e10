// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import org.metergate.api.discovery.MeterProposal;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where an accepted meter's configuration goes. In the gateway, conf/ is applied to ConfigAdmin by File Install and
 * ConfigAdmin's own store is wiped at every start, so the meter is written as a file
 * {@code conf/<factoryPid>-<meterId>.cfg}, like the hand-written ones: it survives restarts, the technician can edit
 * or delete it, and File Install turns it into the factory configuration within a second. Without a watched conf/
 * directory the named factory configuration {@code <factoryPid>~<meterId>} is created in ConfigAdmin directly.
 */
final class MeterConfigurations {

    private final Supplier<ConfigurationAdmin> admin;
    private final Path confDirectory;
    private final Clock clock;

    /** Straight into ConfigAdmin. */
    MeterConfigurations(Supplier<ConfigurationAdmin> admin) {
        this(admin, null, Clock.systemUTC());
    }

    /** @param confDirectory the directory File Install watches; null = straight into ConfigAdmin */
    MeterConfigurations(Supplier<ConfigurationAdmin> admin, Path confDirectory, Clock clock) {
        this.admin = admin;
        this.confDirectory = confDirectory;
        this.clock = clock;
    }

    /** Every meterId in use: in ConfigAdmin (whatever the driver) and in the files of conf/. */
    Set<String> meterIds() throws IOException {
        Set<String> ids = new HashSet<>();
        ConfigurationAdmin service = admin.get();
        if (service == null && confDirectory == null) {
            throw notRunning();
        }
        if (service != null) {
            Configuration[] all;
            try {
                all = service.listConfigurations("(meterId=*)");
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException("the meterId filter is malformed", e);
            }
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> properties = c.getProperties();
                Object id = properties == null ? null : properties.get("meterId");
                if (id != null) {
                    ids.add(id.toString().strip());
                }
            }
        }
        if (confDirectory != null && Files.isDirectory(confDirectory)) {
            // a file written a moment ago may not have reached ConfigAdmin yet
            try (DirectoryStream<Path> files = Files.newDirectoryStream(confDirectory, "*.cfg")) {
                for (Path file : files) {
                    Properties p = new Properties();
                    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        p.load(in);
                    }
                    String id = p.getProperty("meterId");
                    if (id != null) {
                        ids.add(id.strip());
                    }
                }
            }
        }
        return ids;
    }

    /**
     * @return where the configuration went: the file, or the configuration's PID
     * @throws IllegalStateException the file or configuration exists already, or ConfigAdmin is not running
     */
    String create(MeterProposal proposal) throws IOException {
        return confDirectory != null ? writeFile(proposal) : intoConfigAdmin(proposal);
    }

    private String writeFile(MeterProposal proposal) throws IOException {
        Path file = confDirectory.resolve(proposal.factoryPid() + "-" + proposal.meterId() + ".cfg");
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists already");
        }
        StringBuilder text = new StringBuilder();
        text.append("# ").append(proposal.protocol()).append(" meter found by discovery on ").append(proposal.link())
                .append(" (").append(oneLine(proposal.identification())).append("), accepted ")
                .append(Text.time(clock.instant())).append(".\n# ").append(oneLine(proposal.details()))
                .append("\n# Edit it like any meter file: changes apply within a second, deleting it removes the "
                        + "meter. Other settings are the driver's defaults (conf/examples/).\n");
        for (Map.Entry<String, Object> e : proposal.settings().entrySet()) {
            text.append(e.getKey()).append('=').append(propertyValue(e.getKey(), e.getValue())).append('\n');
        }
        // File Install watches *.cfg only: the temporary name is never read half-written
        Path temporary = confDirectory.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(confDirectory);
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
        } catch (FileSystemException e) {
            throw new IllegalStateException("the gateway cannot write to " + confDirectory + " (" + e.getMessage()
                    + "); with the Debian package conf/ is /etc/metergate, which the service may only read. Save "
                    + "the settings shown, one key=value per line, as root in " + file
                    + " and the meter starts within a second", e);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return file.toString();
    }

    private static String propertyValue(String key, Object value) {
        String s = String.valueOf(value);
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("setting " + key + " spans lines and cannot be written to a .cfg file");
        }
        return s.replace("\\", "\\\\");
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private String intoConfigAdmin(MeterProposal proposal) throws IOException {
        ConfigurationAdmin service = admin.get();
        if (service == null) {
            throw notRunning();
        }
        Configuration configuration = service.getFactoryConfiguration(proposal.factoryPid(), proposal.meterId(), "?");
        if (configuration.getProperties() != null) {
            throw new IllegalStateException("configuration " + configuration.getPid() + " exists already");
        }
        configuration.update(new Hashtable<>(proposal.settings()));
        return configuration.getPid();
    }

    private static IllegalStateException notRunning() {
        return new IllegalStateException("ConfigAdmin is not running, so no meter can be configured from here; "
                + "put the settings shown into a file in conf/");
    }
}
