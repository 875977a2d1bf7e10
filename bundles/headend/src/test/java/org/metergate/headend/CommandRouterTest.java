// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;

class CommandRouterTest {

    private final RecordingLog log = new RecordingLog();
    private final CommandRouter router = new CommandRouter(Downlink.BUILT_IN);

    private static CommandHandler handler(String name) {
        return new CommandHandler() {
            @Override
            public String command() {
                return name;
            }

            @Override
            public CommandResult handle(CommandRequest request) {
                return CommandResult.success(Map.of("by", name));
            }
        };
    }

    private static CommandRouter.Offer offer(CommandHandler h, String owner, long serviceId, int ranking) {
        return new CommandRouter.Offer(h, h.command(), owner, serviceId, ranking);
    }

    @Test
    void aCommandIsRoutedByItsNameUntilItsServiceGoesAway() {
        router.reportTo(log);
        CommandHandler threshold = handler("set-low-credit-threshold");
        router.add(offer(threshold, "org.metergate.prepay", 41, 0));

        assertThat(router.find("set-low-credit-threshold")).isSameAs(threshold);
        assertThat(router.find("set-other")).isNull();
        assertThat(router.answered()).containsExactly("set-low-credit-threshold (org.metergate.prepay)");
        assertThat(router.problems()).isEmpty();

        router.remove(threshold);
        assertThat(router.find("set-low-credit-threshold")).isNull();
        assertThat(router.answered()).isEmpty();
    }

    @Test
    void aDuplicateNameIsReportedWithBothBundlesAndTheRankedOneAnswers() {
        router.reportTo(log);
        CommandHandler first = handler("set-low-credit-threshold");
        CommandHandler second = handler("set-low-credit-threshold");
        CommandHandler ranked = handler("set-low-credit-threshold");
        router.add(offer(first, "org.metergate.prepay", 41, 0));
        router.add(offer(second, "com.example.tariffs", 57, 0));

        // equal ranking: the older service keeps answering
        assertThat(router.find("set-low-credit-threshold")).isSameAs(first);
        assertThat(log.contains("ERROR", "command 'set-low-credit-threshold' is offered by more than one bundle:"
                + " org.metergate.prepay (service 41) answers it, com.example.tariffs (service 57) is not used"))
                .isTrue();
        assertThat(router.problems()).singleElement().asString().contains("com.example.tariffs (service 57)");

        router.add(offer(ranked, "com.example.override", 60, 10));
        assertThat(router.find("set-low-credit-threshold")).isSameAs(ranked);

        router.remove(ranked);
        router.remove(first);
        assertThat(router.find("set-low-credit-threshold")).isSameAs(second);
        assertThat(log.contains("WARN", "is now answered by com.example.tariffs (service 57)")).isTrue();
        assertThat(router.problems()).isEmpty();
    }

    @Test
    void builtInNamesAndNamesThatAreNotOneTopicLevelAreRefused() {
        router.reportTo(log);
        CommandHandler status = handler("get-status");
        CommandHandler wildcard = handler("set/#");
        router.add(offer(status, "com.example.status", 70, 100));
        router.add(offer(wildcard, "com.example.bad", 71, 0));

        assertThat(router.find("get-status")).isNull();
        assertThat(router.find("set/#")).isNull();
        assertThat(log.contains("ERROR", "command 'get-status' of com.example.status (service 70) is not used: the"
                + " head-end link answers that command itself")).isTrue();
        assertThat(log.contains("ERROR", "command 'set/#' of com.example.bad (service 71) is not used: a command name"
                + " must be lower-case words")).isTrue();
        assertThat(router.problems()).hasSize(2);

        router.remove(status);
        router.remove(wildcard);
        assertThat(router.problems()).isEmpty();
    }

    @Test
    void problemsFoundBeforeTheLogIsThereAreReportedWhenItComes() {
        router.add(offer(handler("set-x"), "a.bundle", 1, 0));
        router.add(offer(handler("set-x"), "b.bundle", 2, 0));

        router.reportTo(log);

        assertThat(log.contains("ERROR", "command 'set-x' is offered by more than one bundle: a.bundle (service 1)"))
                .isTrue();
    }
}
