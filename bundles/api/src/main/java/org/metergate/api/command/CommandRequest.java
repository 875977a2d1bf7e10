// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.command;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command request as the head-end sent it ({@code cmd/v1}): the command name, the request's {@code msgId} (null
 * when it had none) and its arguments, the members beside {@code schema} and {@code msgId}.
 *
 * <p>Arguments are JSON values: {@code null}, {@link String}, {@link Boolean}, a {@link Number} ({@link BigDecimal}
 * when parsed from a request, so no digit is lost), {@link java.util.List} and {@link Map} with string keys. The
 * request is immutable.
 *
 * @param command the command name, as in the topic
 * @param msgId the request's {@code msgId}, or null
 * @param arguments the other members of the request document, in their order
 */
public record CommandRequest(String command, String msgId, Map<String, Object> arguments) {

    public CommandRequest {
        Objects.requireNonNull(command, "command");
        arguments = JsonValues.object(Objects.requireNonNull(arguments, "arguments"), "request");
    }

    /** True when the request has argument {@code name}, also when its value is null. */
    public boolean has(String name) {
        return arguments.containsKey(name);
    }

    /** The argument's value (a JSON value as described above), or null when absent or null. */
    public Object argument(String name) {
        return arguments.get(name);
    }

    /** The argument when it is a string; empty when it is absent or of another type. */
    public Optional<String> text(String name) {
        return arguments.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The argument when it is a number; empty when it is absent or of another type. */
    public Optional<BigDecimal> number(String name) {
        Object value = arguments.get(name);
        if (value instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (value instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        return Optional.empty();
    }
}
