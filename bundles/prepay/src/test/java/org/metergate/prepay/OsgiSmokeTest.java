// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.PollPolicy;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;
import org.metergate.testing.FelixFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The bundle as built resolves in Felix 7 with nimbus-jose-jwt, takes its head-end key from ConfigAdmin, finds
 * meters as CosemMeter services, and publishes a CreditService that records tokens in the TokenLedger service
 * and reports later stages through the Outbox service.
 */
@Timeout(60)
class OsgiSmokeTest {

    @TempDir
    Path dir;

    @Test
    void bundleResolvesAndTakesATokenThroughItsServices() throws Exception {
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the test shares the API classes with the bundles through the system bundle
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FelixFramework.apiPackages());
        Framework felix = new FrameworkFactory().newFramework(cfg);
        felix.start();
        try {
            BundleContext ctx = felix.getBundleContext();
            for (String marker : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                    "org.osgi.service.component.ComponentContext", "org.osgi.service.log.LoggerFactory",
                    "org.apache.felix.log.Activator", "org.apache.felix.cm.impl.ConfigurationManager",
                    "org.apache.felix.scr.impl.Activator", "com.nimbusds.jose.JWSObject")) {
                ctx.installBundle(FelixFramework.jarOf(marker).toUri().toString());
            }
            Bundle prepay = ctx.installBundle(
                    FelixFramework.bundleJar(dir, "metergate-prepay.jar").toUri().toString());
            for (Bundle b : ctx.getBundles()) {
                b.start();
            }
            assertThat(prepay.getState()).isEqualTo(Bundle.ACTIVE);

            SimpleLedger ledger = new SimpleLedger();
            List<OutboxMessage> sent = new CopyOnWriteArrayList<>();
            ctx.registerService(TokenLedger.class, ledger, null);
            ctx.registerService(Outbox.class, new SimpleOutbox(sent), null);
            ctx.registerService(CosemMeter.class, new UnreachableMeter("m1"),
                    new Hashtable<>(Map.of(Meter.METER_ID, "m1")));
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("he").generate();
            configure(ctx, Map.of("headendPublicKeys", new String[] {"he=-----BEGIN PUBLIC KEY-----"
                    + Base64.getEncoder().encodeToString(key.toECPublicKey().getEncoded()) + "-----END PUBLIC KEY-----"},
                    "currency", "EUR", "retryInitialSeconds", 1));

            ServiceTracker<CreditService, CreditService> tracker = new ServiceTracker<>(ctx, CreditService.class, null);
            tracker.open();
            CreditService credit = tracker.waitForService(20_000);
            assertThat(credit).as("CreditService published").isNotNull();
            // wait until the configuration (with the key) is in force: tokens are then no longer unknown-key
            long now = Instant.now().getEpochSecond();
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("he").build(),
                    new Payload(Map.of("jti", "osgi-1", "meter", "m1", "amount", 500L, "currency", "EUR",
                            "kind", "credit", "iat", now, "exp", now + 600)));
            jws.sign(new ECDSASigner(key));
            Receipt first = credit.submit(jws.serialize());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (first.stage() == ReceiptStage.REJECTED && first.detail().startsWith("unknown-key")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
                credit = tracker.waitForService(5_000);
                first = credit.submit(jws.serialize());
            }
            assertThat(first.stage()).as(first.detail()).isEqualTo(ReceiptStage.ACCEPTED);
            assertThat(ledger.find("osgi-1")).isPresent();

            // the head-end bundle routes the low-credit threshold command to the CommandHandler service of that name
            ServiceReference<?>[] commands = ctx.getServiceReferences(CommandHandler.class.getName(), null);
            assertThat(commands).as("set-low-credit-threshold command published").hasSize(1);
            CommandHandler command = (CommandHandler) ctx.getService(commands[0]);
            assertThat(command.command()).isEqualTo("set-low-credit-threshold");
            assertThat(command.handle(new CommandRequest("set-low-credit-threshold", "q-1",
                    Map.of("meter", "nobody", "threshold", 100L))))
                    .isInstanceOfSatisfying(CommandResult.Failure.class,
                            f -> assertThat(f.code()).isEqualTo("unknown-meter"));
            while (sent.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sent).first().satisfies(m -> {
                assertThat(m.kind()).isEqualTo(MessageKind.RECEIPT);
                assertThat(m.payload()).contains("\"stage\":\"queued\"").contains("meter m1 is offline");
            });
            tracker.close();
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    private static void configure(BundleContext ctx, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object admin = ctx.getService(ref);
        Object conf = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, "org.metergate.prepay", "?");
        Method update = conf.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(conf, new Hashtable<>(values));
    }

    /** A meter whose link is down. */
    private record UnreachableMeter(String id) implements CosemMeter {
        @Override
        public CosemSession open() throws MeterException {
            throw new MeterException(MeterException.Reason.LINK_UNAVAILABLE, "meter " + id + " is offline");
        }

        @Override
        public String protocol() {
            return "dlms";
        }

        @Override
        public LinkAddress link() {
            return null;
        }

        @Override
        public PollPolicy pollPolicy() {
            return null;
        }
    }

    private record SimpleOutbox(List<OutboxMessage> sent) implements Outbox {
        @Override
        public OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload) {
            OutboxMessage m = new OutboxMessage(sent.size() + 1, "m" + sent.size(), kind, meterId, retention,
                    Instant.now(), payload);
            sent.add(m);
            return m;
        }

        @Override
        public List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) {
            return List.copyOf(sent);
        }

        @Override
        public void acknowledge(Collection<String> msgIds) {
        }

        @Override
        public OutboxStats stats() {
            return null;
        }
    }

    /** Just enough ledger for one token. */
    private static final class SimpleLedger implements TokenLedger {
        private final Map<String, LedgerEntry> entries = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<StoredReceipt> receipts = new CopyOnWriteArrayList<>();

        @Override
        public synchronized Optional<LedgerEntry> record(LedgerEntry entry, Receipt accepted) {
            if (entries.putIfAbsent(entry.tokenId(), entry.withSequence(entries.size() + 1)) != null) {
                return Optional.empty();
            }
            receipts.add(new StoredReceipt(receipts.size() + 1, accepted, true));
            return Optional.of(entries.get(entry.tokenId()));
        }

        @Override
        public Optional<LedgerEntry> find(String tokenId) {
            return Optional.ofNullable(entries.get(tokenId));
        }

        @Override
        public synchronized List<StoredReceipt> update(String tokenId, TokenState state, String outcome,
                List<Receipt> newReceipts) {
            entries.computeIfPresent(tokenId, (k, e) -> e.withState(state, outcome));
            return addReceipts(tokenId, newReceipts);
        }

        @Override
        public synchronized List<StoredReceipt> addReceipts(String tokenId, List<Receipt> newReceipts) {
            List<StoredReceipt> added = new ArrayList<>();
            for (Receipt r : newReceipts) {
                StoredReceipt s = new StoredReceipt(receipts.size() + 1, r, false);
                receipts.add(s);
                added.add(s);
            }
            return added;
        }

        @Override
        public List<LedgerEntry> open() {
            return entries.values().stream().filter(e -> e.state().open()).toList();
        }

        @Override
        public List<TokenHistory> recent(String meterId, int limit) {
            return entries.values().stream().filter(e -> e.meterId().equals(meterId))
                    .sorted(Comparator.comparingLong(LedgerEntry::sequence).reversed()).limit(limit)
                    .map(e -> new TokenHistory(e, receipts(e.tokenId()))).toList();
        }

        @Override
        public List<StoredReceipt> receipts(String tokenId) {
            return receipts.stream().filter(r -> r.receipt().tokenId().equals(tokenId)).toList();
        }

        @Override
        public List<StoredReceipt> notUplinked() {
            return List.of();
        }

        @Override
        public void markUplinked(List<Long> receiptIds) {
        }

        @Override
        public int prune(Instant before) {
            return 0;
        }
    }
}
