// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/** The DS component wired by hand: framework property, configuration and logger as SCR would pass them. */
class DeviceIdentityComponentTest {

    @TempDir
    Path temp;
    private final List<String> logged = new ArrayList<>();

    @Test
    void createsTheIdentityUnderTheDataDirectory() throws Exception {
        DeviceIdentityComponent component = new DeviceIdentityComponent(context(temp.resolve("data").toString()),
                config("gw-12", "security"), logger());

        assertThat(component.gatewayId()).isEqualTo("gw-12");
        assertThat(temp.resolve("data/security/device.p12")).exists();
        assertThat(component.status().signedCertificate()).isFalse();
        assertThat(logged).anySatisfy(l -> assertThat(l).startsWith("info").contains("gw-12"));
        assertThatThrownBy(component::clientTlsContext).hasMessageContaining("mg:csr");
    }

    @Test
    void aMissingGatewayIdIsLoggedAndStopsActivation() {
        assertThatThrownBy(() -> new DeviceIdentityComponent(context(temp.toString()), config(null, "security"),
                logger())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gatewayId is not set");

        assertThat(logged).singleElement().asString().startsWith("error").contains("gatewayId is not set");
        assertThat(temp.resolve("security")).doesNotExist();
    }

    private static BundleContext context(String dataDir) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return DeviceIdentityComponent.DATA_DIR_PROPERTY.equals(args[0]) ? dataDir : null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SecurityConfig config(String gatewayId, String directory) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("gatewayId", gatewayId);
        values.put("directory", directory);
        return (SecurityConfig) Proxy.newProxyInstance(SecurityConfig.class.getClassLoader(),
                new Class<?>[] {SecurityConfig.class}, (proxy, method, args) -> values.get(method.getName()));
    }

    private Logger logger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().matches("error|warn|info|debug|trace") && args != null) {
                        logged.add(method.getName() + " " + java.util.Arrays.deepToString(args));
                        return null;
                    }
                    if (method.getName().startsWith("is")) {
                        return true;
                    }
                    return method.getName().equals("getName") ? "test" : null;
                });
    }
}
