// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;
import org.osgi.service.log.Logger;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutboxComponentTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** Records "level: format args" for every call on the OSGi logger. */
    private Logger logger() {
        return (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String format) {
                        StringBuilder line = new StringBuilder(method.getName()).append(": ").append(format);
                        for (int i = 1; i < args.length; i++) {
                            line.append(' ').append(args[i]);
                        }
                        log.add(line.toString());
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    /** A configuration with the Metatype defaults, overridden by {@code values}. */
    private static StoreConfig config(Map<String, Object> values) {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(),
                new Class<?>[] {StoreConfig.class}, (proxy, method, args) -> values.containsKey(method.getName())
                        ? values.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void sqliteStoreIsCreatedInTheDataDirectoryAndClosedOnDeactivate() throws Exception {
        Path data = dir.resolve("var/metergate");
        OutboxComponent component = new OutboxComponent(config(Map.of()),
                key -> key.equals("metergate.data.dir") ? data.toString() : null, logger());
        component.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        assertThat(component.stats().messages()).isEqualTo(1);
        assertThat(data.resolve("metergate.db")).exists();
        component.deactivate();

        assertThatThrownBy(() -> component.oldest(EnumSet.allOf(MessageKind.class), 1))
                .isInstanceOfSatisfying(OutboxException.class,
                        e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.CLOSED));
        OutboxComponent again = new OutboxComponent(config(Map.of()), key -> data.toString(), logger());
        assertThat(again.stats().messages()).isEqualTo(1);
        again.deactivate();
        assertThat(log).anyMatch(l -> l.startsWith("info: outbox {} open"));
    }

    @Test
    void absolutePathIsUsedAsIs() throws Exception {
        Path file = dir.resolve("elsewhere/store.db");
        OutboxComponent component = new OutboxComponent(config(Map.of("path", file.toString())),
                key -> dir.resolve("data").toString(), logger());
        component.deactivate();
        assertThat(file).exists();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void memoryTypeWorksAndWarnsThatItIsNotDurable() throws Exception {
        OutboxComponent component = new OutboxComponent(config(Map.of("type", "memory")), key -> null, logger());
        component.append(MessageKind.EVENT, null, Retention.ALARM, "{}");
        assertThat(component.stats().messages()).isEqualTo(1);
        component.deactivate();
        assertThat(log).anyMatch(l -> l.startsWith("warn:") && l.contains("lost on restart"));
    }

    @Test
    void invalidConfigurationIsLoggedInFullAndNothingStarts() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("type", "postgres");
        bad.put("maxMessages", 1L);
        bad.put("groupCommitMaxBatch", 0);
        bad.put("path", dir.resolve("never.db").toString());
        assertThatThrownBy(() -> new OutboxComponent(config(bad), key -> null, logger()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(log).singleElement().satisfies(l -> assertThat(l).startsWith("error:")
                .contains("type is 'postgres'", "maxMessages is 1", "org.metergate.store"));
        assertThat(dir.resolve("never.db")).doesNotExist();

        log.clear();
        assertThatThrownBy(() -> new OutboxComponent(config(Map.of("groupCommitMaxDelayMs", -5L)), key -> null,
                logger())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupCommitMaxDelayMs");
        assertThat(log).singleElement().satisfies(l -> assertThat(l).contains("groupCommitMaxDelayMs is -5"));
    }

    @Test
    void unusableDataDirectoryIsLoggedAndRefused() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        assertThatThrownBy(() -> new OutboxComponent(config(Map.of()), key -> notADirectory.toString(), logger()))
                .isInstanceOf(OutboxException.class);
        assertThat(log).anyMatch(l -> l.startsWith("error: outbox not started"));
    }
}
