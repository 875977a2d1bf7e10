// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A handler's answer: a {@link Success} with the result document or a {@link Failure} with an error code and a
 * message for a person. The link sends it as {@code cmd-response/v1} ({@code ok}, {@code result} or
 * {@code error {code, message}}).
 */
public sealed interface CommandResult permits CommandResult.Success, CommandResult.Failure {

    /** What an error code looks like: lower-case words joined by hyphens, e.g. {@code meter-no-answer}. */
    Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** A successful answer; {@code result} holds JSON values as described in {@link CommandRequest}. */
    static Success success(Map<String, ?> result) {
        return new Success(new LinkedHashMap<String, Object>(Objects.requireNonNull(result, "result")));
    }

    /** An answer that says why the command was not done. */
    static Failure failure(String code, String message) {
        return new Failure(code, message);
    }

    /**
     * The command was done.
     *
     * @param result the result document (an unmodifiable copy, members in the given order)
     */
    record Success(Map<String, Object> result) implements CommandResult {
        public Success {
            result = JsonValues.object(Objects.requireNonNull(result, "result"), "result");
        }
    }

    /**
     * The command was not done.
     *
     * @param code the error code the head-end acts on: {@code missing-field}, {@code invalid-field},
     *        {@code unknown-meter}, {@code busy}, {@code meter-<reason>}, ... (docs/mqtt-contract/schemas)
     * @param message what happened and what to do, for a person
     */
    record Failure(String code, String message) implements CommandResult {
        public Failure {
            if (code == null || !CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("error code '" + code
                        + "' must be lower-case words joined by hyphens, e.g. meter-no-answer");
            }
            if (message == null || message.isBlank()) {
                throw new IllegalArgumentException("error " + code + " needs a message that says what happened");
            }
        }
    }
}
