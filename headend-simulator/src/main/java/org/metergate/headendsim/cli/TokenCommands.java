// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.credit.CreditTokenIssuer;
import org.metergate.headendsim.credit.IssuedToken;
import org.metergate.headendsim.credit.Money;
import org.metergate.headendsim.credit.TokenProgress;
import org.metergate.headendsim.credit.TokenPush;
import org.metergate.headendsim.credit.TokenReceipt;
import org.metergate.headendsim.credit.TokenSigningKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Issue a signed token with the head-end key, push it to a gateway and show its receipts as they come. */
final class TokenCommands {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private TokenCommands() {
    }

    /** What every token command shares: meter, currency, channel, validity, how long to follow the receipts. */
    abstract static class Issue extends CommandCommands.OneShot {
        @Option(names = "--meter", required = true, paramLabel = "M",
                description = "The meter as tokens name it: its serial or system title (or the gateway's meter id).")
        String meter;

        @Option(names = "--currency", defaultValue = "EUR", description = "ISO 4217 code (default: ${DEFAULT-VALUE}).")
        String currency;

        @Option(names = "--channel", defaultValue = "app", paramLabel = "NAME",
                description = "How the customer paid: app, wallet, chat, shop, ... (default: ${DEFAULT-VALUE}).")
        String channel;

        @Option(names = "--valid-hours", defaultValue = "24", paramLabel = "H",
                description = "Token lifetime; the gateway keeps retrying an unreachable meter until then "
                        + "(default: ${DEFAULT-VALUE}).")
        int validHours;

        @Option(names = "--no-wait", description = "Send the token and return without following its receipts.")
        boolean noWait;

        @Option(names = "--print-token", description = "Also print the signed token (JWS compact).")
        boolean printToken;

        abstract IssuedToken issue(CreditTokenIssuer issuer);

        @Override
        public Integer call() throws Exception {
            if (validHours < 1) {
                throw new IllegalArgumentException("--valid-hours must be 1 or more, got " + validHours);
            }
            TokenSigningKey key = TokenSigningKey.openOrCreate(connection.pkiDir);
            IssuedToken token = issue(new CreditTokenIssuer(key, Clock.systemUTC(), Duration.ofHours(validHours)));
            PrintWriter out = spec.commandLine().getOut();
            out.println("token " + token.id() + ": " + token.describe() + ", key " + token.kid() + ", valid until "
                    + token.expiresAt());
            if (printToken) {
                out.println(token.compact());
            }
            out.flush();
            try (HeadendSimulator h = connect()) {
                if (noWait) {
                    h.sendToken(gateway, token.compact(), timeout());
                    out.println("sent to mg/v1/" + gateway + "/credit/tokens; receipts show in 'run'");
                    out.flush();
                    return 0;
                }
                TokenProgress progress = new TokenPush(h).push(gateway, token, r -> {
                    out.println(CLOCK.format(Instant.now()) + " " + r.describe());
                    out.flush();
                }, timeout());
                return summary(out, progress);
            }
        }

        private int summary(PrintWriter out, TokenProgress p) {
            String balance = p.balance().map(r -> ", balance " + describeBalance(r)).orElse("");
            int exit = switch (p.outcome()) {
                case CREDITED -> {
                    out.println("credited" + balance);
                    yield 0;
                }
                case IN_PROGRESS -> {
                    out.println("no final receipt within " + timeoutSeconds + " s (last stage: "
                            + (p.stages().isEmpty() ? "none; is gateway " + gateway + " online?"
                                    : p.stages().get(p.stages().size() - 1)) + "); the gateway keeps the token until it"
                            + " expires, receipts show in 'run'");
                    yield 2;
                }
                default -> {
                    out.println(p.outcome().name().toLowerCase().replace('_', ' ') + balance);
                    yield 1;
                }
            };
            out.flush();
            return exit;
        }

        private static String describeBalance(TokenReceipt r) {
            return r.describe().substring("balance: ".length());
        }
    }

    @Command(name = "pay", mixinStandardHelpOptions = true,
            description = "Issue a signed credit token (top-up) and push it to a gateway; show its receipts and the "
                    + "balance after. Exit 0 credited, 1 refused (rejected, duplicate, expired, meter refused), "
                    + "2 no final receipt in time.")
    static final class Pay extends Issue {
        @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "e.g. 20.00")
        String amount;

        @Override
        IssuedToken issue(CreditTokenIssuer issuer) {
            return issuer.credit(meter, Money.toMinor(amount, currency), currency, channel);
        }
    }

    @Command(name = "emergency", mixinStandardHelpOptions = true,
            description = "Issue an emergency-credit token and push it to a gateway; like pay.")
    static final class Emergency extends Issue {
        @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "e.g. 5.00")
        String amount;

        @Override
        IssuedToken issue(CreditTokenIssuer issuer) {
            return issuer.emergency(meter, Money.toMinor(amount, currency), currency, channel);
        }
    }

    @Command(name = "sts", mixinStandardHelpOptions = true,
            description = "Wrap a 20-digit STS (IEC 62055-41) token in a signed token; the gateway passes the digits "
                    + "to the meter unchanged and reports the meter's result.")
    static final class Sts extends Issue {
        @Option(names = "--digits", required = true, paramLabel = "DIGITS",
                description = "The 20 digits (spaces or dashes between groups are dropped).")
        String digits;

        @Override
        IssuedToken issue(CreditTokenIssuer issuer) {
            return issuer.sts(meter, digits, currency, channel);
        }
    }
}
