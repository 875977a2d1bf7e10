// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.metergate.api.security.MeterKeys;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code mg:dlms-key <meterId> <authentication|encryption> <32 hex>}: enters a meter's DLMS key at commissioning.
 * The answer never repeats the key. The hyphenated name reaches {@link #_main} (Gogo cannot map it to a method).
 */
@Component(service = Object.class, property = {"osgi.command.scope=mg", "osgi.command.function=dlms-key"})
public class DlmsKeyCommands {

    static final String USAGE = "usage: mg:dlms-key <meterId> <authentication|encryption> <32 hex digits>  "
            + "(the meter's HLS5 global authentication or unicast encryption key for our client, from its key sheet)";
    static final String INACTIVE = "The meter key store is not running: the log says why (data directory "
            + "not writable, or the security directory's dlms.kek is missing)";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeterKeys keys;

    public DlmsKeyCommands() {
    }

    DlmsKeyCommands(MeterKeys keys) {
        this.keys = keys;
    }

    public String _main(String command, String... arguments) {
        if (!"dlms-key".equals(command)) {
            return "unknown command mg:" + command;
        }
        if (arguments.length != 3) {
            return USAGE;
        }
        MeterKeys k = keys;
        if (k == null) {
            return INACTIVE;
        }
        String meterId = arguments[0];
        String name = arguments[1].toLowerCase(Locale.ROOT);
        if (!name.equals(MeterKeys.AUTHENTICATION) && !name.equals(MeterKeys.ENCRYPTION)) {
            return "Key name '" + arguments[1] + "' is not known; use " + MeterKeys.AUTHENTICATION + " or "
                    + MeterKeys.ENCRYPTION + ". " + USAGE;
        }
        byte[] key;
        try {
            key = HexFormat.of().parseHex(arguments[2].strip());
        } catch (IllegalArgumentException e) {
            return "The " + name + " key for meter " + meterId + " is not hexadecimal (" + arguments[2].length()
                    + " characters given; expected 32 hex digits, 0-9 and A-F). Nothing stored.";
        }
        try {
            if (key.length != 16 && key.length != 32) {
                return "The " + name + " key for meter " + meterId + " has " + key.length * 2
                        + " hex digits; expected 32 (security suite 0/1) or 64 (suite 2). Nothing stored.";
            }
            k.put(meterId, name, key);
            return "Stored the " + name + " key of meter " + meterId + " (encrypted at rest); the next session "
                    + "with the meter uses it.";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ". Nothing stored.";
        } catch (IOException | GeneralSecurityException e) {
            return "Could not store the " + name + " key of meter " + meterId + ": " + e.getMessage();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
