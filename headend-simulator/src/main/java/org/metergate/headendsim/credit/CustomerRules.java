// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads customer rules from a properties file, one group of keys per customer:
 *
 * <pre>
 * customer.alice.meter=d1                    # gateway meter id (required)
 * customer.alice.gateway=demo-gateway        # optional: only this gateway's meter d1
 * customer.alice.tokenMeter=10000001         # optional: how tokens name the meter (serial)
 * customer.alice.currency=EUR                # optional, EUR
 * customer.alice.notifyBelow=5.00, 2.00      # optional: low-balance notices, several levels
 * customer.alice.autoRechargeBelow=3.00      # optional, with autoRechargeAmount
 * customer.alice.autoRechargeAmount=20.00
 * customer.alice.channel=auto-recharge       # optional: channel of the automatic top-ups
 * </pre>
 */
public final class CustomerRules {

    private static final Pattern KEY = Pattern.compile("customer\\.([A-Za-z0-9_-]{1,64})\\.([A-Za-z]+)");
    private static final Set<String> FIELDS = Set.of("meter", "gateway", "tokenMeter", "currency", "notifyBelow",
            "autoRechargeBelow", "autoRechargeAmount", "channel");

    private CustomerRules() {
    }

    public static List<CustomerRule> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<CustomerRule> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a properties file: " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> byCustomer = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            Matcher m = KEY.matcher(key);
            if (!m.matches() || !FIELDS.contains(m.group(2))) {
                throw new IllegalArgumentException("unknown key '" + key + "': expected customer.<id>.<field> with"
                        + " field one of " + FIELDS.stream().sorted().toList());
            }
            byCustomer.computeIfAbsent(m.group(1), c -> new TreeMap<>()).put(m.group(2), p.getProperty(key).strip());
        }
        List<CustomerRule> rules = new ArrayList<>();
        Set<String> meters = new HashSet<>();
        for (Map.Entry<String, Map<String, String>> e : byCustomer.entrySet()) {
            CustomerRule rule = rule(e.getKey(), e.getValue());
            if (!meters.add(rule.gateway() + "/" + rule.meter())) {
                throw new IllegalArgumentException("meter " + rule.meter() + " has more than one customer; give each"
                        + " meter to one customer");
            }
            rules.add(rule);
        }
        return rules;
    }

    private static CustomerRule rule(String customer, Map<String, String> f) {
        String meter = f.get("meter");
        if (meter == null || meter.isEmpty()) {
            throw new IllegalArgumentException("customer." + customer + ".meter is missing (the gateway's meter id)");
        }
        String currency = f.getOrDefault("currency", "EUR");
        try {
            Money.fractionDigits(currency);
            List<Long> notify = new ArrayList<>();
            String levels = f.getOrDefault("notifyBelow", "");
            for (String level : levels.split(",")) {
                if (!level.isBlank()) {
                    notify.add(Money.toMinorAllowingZero(level, currency));
                }
            }
            Long below = f.containsKey("autoRechargeBelow")
                    ? Money.toMinorAllowingZero(f.get("autoRechargeBelow"), currency) : null;
            Long amount = f.containsKey("autoRechargeAmount") ? Money.toMinor(f.get("autoRechargeAmount"), currency)
                    : null;
            if ((below == null) != (amount == null)) {
                throw new IllegalArgumentException("auto-recharge needs both autoRechargeBelow and autoRechargeAmount");
            }
            return new CustomerRule(customer, blankToNull(f.get("gateway")), meter, blankToNull(f.get("tokenMeter")),
                    currency, notify, below, amount, f.getOrDefault("channel", "auto-recharge"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("customer " + customer + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
