// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The console password and, until it is set, the one-time setup code. Both live in owner-only files in the console
 * directory ({@code data/console/}): {@code setup-code} while no password exists, then {@code password} (a
 * {@link PasswordHash}, never the password). Completing the setup deletes the code, so it works once.
 */
final class Credentials {

    static final String PASSWORD_FILE = "password";
    static final String SETUP_CODE_FILE = "setup-code";
    static final int MIN_PASSWORD_LENGTH = 10;
    static final int MAX_PASSWORD_LENGTH = 128;

    private final OwnerOnlyFiles files;
    private final PasswordHash hasher;
    private String storedHash;
    private String setupCode;

    private Credentials(OwnerOnlyFiles files, PasswordHash hasher, String storedHash, String setupCode) {
        this.files = files;
        this.hasher = hasher;
        this.storedHash = storedHash;
        this.setupCode = setupCode;
    }

    /**
     * Opens the console directory. Without a password a setup code is created (or the one from an earlier start is
     * kept, so a code already printed stays valid until it is used).
     */
    static Credentials open(OwnerOnlyFiles files, PasswordHash hasher, SetupCodes codes) throws IOException {
        Optional<String> hash = files.read(PASSWORD_FILE).filter(s -> !s.isEmpty());
        if (hash.isPresent()) {
            files.delete(SETUP_CODE_FILE); // left over from a crash right after the setup
            return new Credentials(files, hasher, hash.get(), null);
        }
        Optional<String> code = files.read(SETUP_CODE_FILE).filter(SetupCodes::wellFormed);
        if (code.isPresent()) {
            return new Credentials(files, hasher, null, code.get());
        }
        String fresh = codes.generate();
        files.write(SETUP_CODE_FILE, fresh);
        return new Credentials(files, hasher, null, fresh);
    }

    synchronized boolean passwordSet() {
        return storedHash != null;
    }

    /** The setup code, while the console has no password yet. */
    synchronized Optional<String> setupCode() {
        return Optional.ofNullable(setupCode);
    }

    /**
     * Sets the first password with the setup code. Nothing changes unless every check passes.
     *
     * @throws RefusedException wrong code, code already used, or a password that is not acceptable
     */
    synchronized void completeSetup(String code, char[] password, char[] confirmation)
            throws RefusedException, IOException, GeneralSecurityException {
        if (storedHash != null) {
            throw new RefusedException("The console password is already set; the setup code works only once. "
                    + "Log in with the password.");
        }
        if (!SetupCodes.matches(code, setupCode)) {
            throw new RefusedException("Wrong setup code. It is in the gateway log and printed by "
                    + "'bin/metergate setup-code' (shell: mg:setup-code).", true);
        }
        checkAcceptable(password, confirmation);
        String hash = hasher.hash(password);
        files.write(PASSWORD_FILE, hash);
        files.delete(SETUP_CODE_FILE);
        storedHash = hash;
        setupCode = null;
    }

    /** True for the right password; false for a wrong one and while no password is set. */
    synchronized boolean verify(char[] password) throws GeneralSecurityException {
        if (storedHash == null || password == null || password.length == 0) {
            return false;
        }
        return PasswordHash.verify(password, storedHash);
    }

    static void checkAcceptable(char[] password, char[] confirmation) throws RefusedException {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new RefusedException("The password needs at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw new RefusedException("The password may have at most " + MAX_PASSWORD_LENGTH + " characters.");
        }
        if (!Arrays.equals(password, confirmation)) {
            throw new RefusedException("The two passwords differ; type the same password twice.");
        }
    }
}
