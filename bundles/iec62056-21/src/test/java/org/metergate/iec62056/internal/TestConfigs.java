// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link Iec21MeterConfig} instances the way ConfigAdmin would, from key/value pairs over the defaults. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Iec21MeterConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("meterId", "m1");
        values.put("link", "tcp://127.0.0.1:6101");
        values.put("deviceAddress", "");
        values.put("initialBaud", 300);
        values.put("fixedBaud", false);
        values.put("baudChangeDelayMs", 0);
        values.put("timeoutMs", 3000);
        values.put("retries", 2);
        values.put("pollIntervalSeconds", 15);
        values.put("backoffInitialSeconds", 2);
        values.put("backoffMaxSeconds", 60);
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Iec21MeterConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Iec21MeterConfig.class;
            }

            @Override
            public String meterId() {
                return (String) values.get("meterId");
            }

            @Override
            public String link() {
                return (String) values.get("link");
            }

            @Override
            public String deviceAddress() {
                return (String) values.get("deviceAddress");
            }

            @Override
            public int initialBaud() {
                return (Integer) values.get("initialBaud");
            }

            @Override
            public boolean fixedBaud() {
                return (Boolean) values.get("fixedBaud");
            }

            @Override
            public int baudChangeDelayMs() {
                return (Integer) values.get("baudChangeDelayMs");
            }

            @Override
            public int timeoutMs() {
                return (Integer) values.get("timeoutMs");
            }

            @Override
            public int retries() {
                return (Integer) values.get("retries");
            }

            @Override
            public int pollIntervalSeconds() {
                return (Integer) values.get("pollIntervalSeconds");
            }

            @Override
            public int backoffInitialSeconds() {
                return (Integer) values.get("backoffInitialSeconds");
            }

            @Override
            public int backoffMaxSeconds() {
                return (Integer) values.get("backoffMaxSeconds");
            }
        };
    }
}
