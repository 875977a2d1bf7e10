// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code mg:headend-key list | add <kid> <PEM file> | remove <kid>}: the head-end public keys that credit tokens
 * are verified with. The hyphenated name reaches {@link #_main} (Gogo cannot map it to a method).
 */
public class HeadendKeyCommands {

    static final String USAGE = "usage: mg:headend-key list | mg:headend-key add <kid> <PEM file> | "
            + "mg:headend-key remove <kid>  (kid as in the head-end's token header; the file holds its P-256 "
            + "-----BEGIN PUBLIC KEY----- block)";
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final HeadendKeyStore store;
    private final Consumer<String> audit;

    HeadendKeyCommands(HeadendKeyStore store, Consumer<String> audit) {
        this.store = store;
        this.audit = audit;
    }

    public String _main(String command, String... arguments) {
        if (!"headend-key".equals(command)) {
            return "unknown command mg:" + command;
        }
        if (arguments.length == 1 && "list".equals(arguments[0])) {
            return list();
        }
        if (arguments.length == 3 && "add".equals(arguments[0])) {
            return add(arguments[1], Path.of(arguments[2]));
        }
        if (arguments.length == 2 && "remove".equals(arguments[0])) {
            return remove(arguments[1]);
        }
        return USAGE;
    }

    private String list() {
        Map<String, ECPublicKey> keys = store.keys();
        if (keys.isEmpty()) {
            return "No head-end token key held: every credit token is refused as unknown-key until one is added "
                    + "(mg:headend-key add <kid> <PEM file>)";
        }
        StringBuilder out = new StringBuilder();
        keys.forEach((kid, key) -> out.append(kid).append("  P-256  sha256:").append(fingerprint(key)).append('\n'));
        return out.toString().stripTrailing();
    }

    private String add(String kid, Path file) {
        String pem;
        try {
            if (!Files.isRegularFile(file)) {
                return "No file " + file.toAbsolutePath() + ". Nothing stored.";
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                return file + " is larger than 64 KiB; a PEM public key is under 1 KiB. Nothing stored.";
            }
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "Cannot read " + file + ": " + e.getMessage() + ". Nothing stored.";
        }
        try {
            boolean fresh = store.add(kid, pem, "the file " + file);
            String done = "head-end key '" + kid + "' " + (fresh ? "added" : "replaced") + ", sha256:"
                    + fingerprint(store.keys().get(kid));
            audit.accept(done);
            return done + ". Tokens signed with it are accepted from now on.";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ". Nothing stored.";
        } catch (IOException e) {
            return "Could not store head-end key '" + kid + "': " + e.getMessage();
        }
    }

    private String remove(String kid) {
        try {
            if (!store.remove(kid)) {
                return "No head-end key '" + kid + "' is held (mg:headend-key list shows them).";
            }
        } catch (IOException e) {
            return "Could not remove head-end key '" + kid + "': " + e.getMessage();
        }
        audit.accept("head-end key '" + kid + "' removed");
        return "head-end key '" + kid + "' removed; tokens signed with it are refused from now on.";
    }

    /** First 16 hex digits of the SHA-256 of the SubjectPublicKeyInfo, to compare with the head-end's copy. */
    static String fingerprint(ECPublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
