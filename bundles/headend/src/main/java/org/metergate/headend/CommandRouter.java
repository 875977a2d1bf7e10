// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.metergate.api.command.CommandHandler;

/**
 * The {@link CommandHandler} services other bundles publish, by command name. One handler answers a name: when
 * two offer the same name, the one with the higher service ranking (then the older service) answers and the
 * conflict is logged and listed by {@link #problems()} until one goes away. Names of the built-in commands and
 * names that are not one topic level are refused the same way.
 */
final class CommandRouter {

    /** One published handler and who published it. */
    record Offer(CommandHandler handler, String name, String owner, long serviceId, int ranking) {

        String describe() {
            return owner + " (service " + serviceId + ")";
        }
    }

    private static final Comparator<Offer> PREFERRED = Comparator.comparingInt(Offer::ranking).reversed()
            .thenComparingLong(Offer::serviceId);

    private final Set<String> builtIn;
    private final Map<String, List<Offer>> offers = new TreeMap<>();
    private final List<Offer> refused = new ArrayList<>();
    private volatile LinkLog log;

    /** @param builtIn the names the link answers itself */
    CommandRouter(Set<String> builtIn) {
        this.builtIn = Set.copyOf(builtIn);
    }

    /** Where conflicts are reported from now on; the ones already there are reported at once. */
    void reportTo(LinkLog log) {
        this.log = log;
        problems().forEach(p -> log.error(p, null));
    }

    /** Takes a published handler; {@code name} is what its {@link CommandHandler#command()} said. */
    synchronized void add(Offer offer) {
        String name = offer.name();
        if (!CommandHandler.isValidName(name) || builtIn.contains(name)) {
            refused.add(offer);
            report(refusal(offer));
            return;
        }
        List<Offer> list = offers.computeIfAbsent(name, n -> new ArrayList<>());
        list.add(offer);
        list.sort(PREFERRED);
        if (list.size() > 1) {
            report(conflict(name, list));
        } else if (log != null) {
            log.info("command '" + name + "' is answered by " + offer.describe());
        }
    }

    synchronized void remove(CommandHandler handler) {
        refused.removeIf(o -> o.handler() == handler);
        for (var it = offers.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            List<Offer> list = entry.getValue();
            boolean wasFirst = !list.isEmpty() && list.get(0).handler() == handler;
            if (list.removeIf(o -> o.handler() == handler)) {
                if (list.isEmpty()) {
                    it.remove();
                } else if (wasFirst && log != null) {
                    log.warn("command '" + entry.getKey() + "' is now answered by " + list.get(0).describe());
                }
            }
        }
    }

    /** The handler that answers {@code name}, or null. */
    synchronized CommandHandler find(String name) {
        List<Offer> list = offers.get(name);
        return list == null || list.isEmpty() ? null : list.get(0).handler();
    }

    /** Every name answered, with who answers it: {@code set-low-credit-threshold (org.metergate.prepay)}. */
    synchronized List<String> answered() {
        List<String> names = new ArrayList<>();
        offers.forEach((name, list) -> names.add(name + " (" + list.get(0).owner() + ")"));
        return names;
    }

    /** The conflicts and refused handlers now, one sentence each for a technician. */
    synchronized List<String> problems() {
        List<String> problems = new ArrayList<>();
        offers.forEach((name, list) -> {
            if (list.size() > 1) {
                problems.add(conflict(name, list));
            }
        });
        refused.forEach(o -> problems.add(refusal(o)));
        return problems;
    }

    private void report(String problem) {
        LinkLog l = log;
        if (l != null) {
            l.error(problem, null);
        }
    }

    private static String conflict(String name, List<Offer> list) {
        List<String> others = list.subList(1, list.size()).stream().map(Offer::describe).toList();
        return "command '" + name + "' is offered by more than one bundle: " + list.get(0).describe()
                + " answers it, " + String.join(", ", others) + " is not used; remove the duplicate";
    }

    private String refusal(Offer o) {
        if (builtIn.contains(o.name())) {
            return "command '" + o.name() + "' of " + o.describe()
                    + " is not used: the head-end link answers that command itself";
        }
        return "command '" + o.name() + "' of " + o.describe() + " is not used: a command name must be lower-case"
                + " words joined by single hyphens, at most " + CommandHandler.MAX_NAME_LENGTH + " characters";
    }
}
