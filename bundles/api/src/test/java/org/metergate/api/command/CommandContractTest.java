// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandContractTest {

    @Test
    void commandNamesAreOneTopicLevelOfLowerCaseWords() {
        assertThat(CommandHandler.isValidName("set-low-credit-threshold")).isTrue();
        assertThat(CommandHandler.isValidName("get-status")).isTrue();
        assertThat(CommandHandler.isValidName("cmd/other")).isFalse();
        assertThat(CommandHandler.isValidName("read-#")).isFalse();
        assertThat(CommandHandler.isValidName("Read-Now")).isFalse();
        assertThat(CommandHandler.isValidName("a--b")).isFalse();
        assertThat(CommandHandler.isValidName("")).isFalse();
        assertThat(CommandHandler.isValidName(null)).isFalse();
        assertThat(CommandHandler.isValidName("a".repeat(65))).isFalse();
    }

    @Test
    void aRequestGivesItsArgumentsByTypeAndCannotBeChanged() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("meter", "m1");
        arguments.put("threshold", new BigDecimal("500"));
        arguments.put("count", 3L);
        arguments.put("note", null);
        arguments.put("list", new ArrayList<>(List.of("a", 1L)));
        CommandRequest request = new CommandRequest("x", "q-1", arguments);
        arguments.put("meter", "changed later");

        assertThat(request.text("meter")).contains("m1");
        assertThat(request.text("threshold")).isEmpty();
        assertThat(request.number("threshold")).contains(new BigDecimal("500"));
        assertThat(request.number("count")).contains(new BigDecimal("3"));
        assertThat(request.number("meter")).isEmpty();
        assertThat(request.has("note")).isTrue();
        assertThat(request.argument("note")).isNull();
        assertThat(request.has("absent")).isFalse();
        assertThatThrownBy(() -> request.arguments().put("meter", "m2"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) request.argument("list")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aResultHoldsOnlyJsonValuesAndSaysWhereAnotherTypeIs() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("at", Instant.EPOCH);
        assertThatThrownBy(() -> CommandResult.success(Map.of("meter", "m1", "detail", inner)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result.detail.at")
                .hasMessageContaining("java.time.Instant");
        assertThatThrownBy(() -> CommandResult.success(Map.of("ratio", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result.ratio");

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("meter", "m1");
        fields.put("threshold", 1500L);
        fields.put("lastError", null);
        CommandResult result = CommandResult.success(fields);
        assertThat(result).isInstanceOfSatisfying(CommandResult.Success.class, s -> {
            assertThat(s.result().keySet()).containsExactly("meter", "threshold", "lastError");
            assertThat(s.result()).containsEntry("threshold", 1500L).containsKey("lastError");
            assertThat(s.result().get("lastError")).isNull();
        });
    }

    @Test
    void aFailureNeedsACodeOfLowerCaseWordsAndAMessage() {
        CommandResult.Failure f = CommandResult.failure("meter-no-answer", "meter m1 did not answer within 5 s");
        assertThat(f.code()).isEqualTo("meter-no-answer");
        assertThatThrownBy(() -> CommandResult.failure("Meter No Answer", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Meter No Answer");
        assertThatThrownBy(() -> CommandResult.failure("busy", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busy");
    }
}
