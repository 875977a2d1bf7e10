// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.metergate.api.credit.Receipt;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The outbox service: SQLite (durable) or memory, chosen by configuration. A configuration change
 * deactivates this instance (draining and closing the database) and activates a new one.
 */
@Component(service = {Outbox.class, MeterStateStore.class, TokenLedger.class}, configurationPid = OutboxComponent.PID,
        immediate = true)
@Designate(ocd = StoreConfig.class)
public class OutboxComponent implements Outbox, MeterStateStore, TokenLedger {

    static final String PID = "org.metergate.store";

    private final Logger log;
    private final Outbox delegate;
    private final MeterStateStore state;
    private final TokenLedger ledger;
    private final AutoCloseable closer;

    @Activate
    public OutboxComponent(BundleContext context, StoreConfig config,
            @Reference(service = LoggerFactory.class) Logger log) throws OutboxException {
        this(config, context::getProperty, log);
    }

    OutboxComponent(StoreConfig config, UnaryOperator<String> frameworkProperty, Logger log)
            throws OutboxException {
        this.log = log;
        StoreSettings settings;
        try {
            settings = StoreSettings.from(config, frameworkProperty.apply(StoreSettings.DATA_DIR_PROPERTY));
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            throw e;
        }
        if (settings.durable()) {
            SqliteOutbox sqlite;
            try {
                sqlite = SqliteOutbox.open(settings.sqlite(), Clock.systemUTC());
            } catch (OutboxException e) {
                log.error("outbox not started: {}", e.getMessage(), e);
                throw e;
            }
            String warning = sqlite.stats().lastError();
            if (warning != null) {
                log.error(warning);
            }
            log.info("outbox {} open: {} messages waiting; limits {} messages, {} bytes", settings.sqlite().file(),
                    sqlite.stats().messages(), settings.limits().maxMessages(), settings.limits().maxPayloadBytes());
            delegate = sqlite;
            state = sqlite;
            ledger = new SqliteTokenLedger(sqlite);
            closer = sqlite;
        } else {
            MemoryOutbox memory = new MemoryOutbox(settings.limits(), Clock.systemUTC());
            log.warn("outbox in memory: queued messages are lost on restart or power cut (type=memory)");
            delegate = memory;
            state = memory;
            ledger = new MemoryTokenLedger();
            closer = memory;
        }
    }

    @Deactivate
    void deactivate() {
        try {
            closer.close();
        } catch (Exception e) {
            log.warn("closing the outbox failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload)
            throws OutboxException {
        try {
            return delegate.append(kind, meterId, retention, payload);
        } catch (OutboxException e) {
            log.warn("outbox refused a {} message{}: {}", kind, meterId == null ? "" : " of meter " + meterId,
                    e.getMessage());
            throw e;
        }
    }

    @Override
    public List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) throws OutboxException {
        return delegate.oldest(kinds, max);
    }

    @Override
    public void acknowledge(Collection<String> msgIds) throws OutboxException {
        delegate.acknowledge(msgIds);
    }

    @Override
    public OutboxStats stats() {
        return delegate.stats();
    }

    @Override
    public Map<String, String> state(String meterId) throws OutboxException {
        return state.state(meterId);
    }

    @Override
    public List<OutboxMessage> appendWithState(String meterId, List<PendingMessage> messages,
            Map<String, String> values) throws OutboxException {
        try {
            return state.appendWithState(meterId, messages, values);
        } catch (OutboxException e) {
            log.warn("outbox refused {} message(s) and the state of meter {}: {}", messages.size(), meterId,
                    e.getMessage());
            throw e;
        }
    }

    // the token ledger lives in the same database, so a token and its receipts commit together

    @Override
    public Optional<LedgerEntry> record(LedgerEntry entry, Receipt accepted) {
        return ledger.record(entry, accepted);
    }

    @Override
    public Optional<LedgerEntry> find(String tokenId) {
        return ledger.find(tokenId);
    }

    @Override
    public List<StoredReceipt> update(String tokenId, TokenState newState, String outcome, List<Receipt> receipts) {
        return ledger.update(tokenId, newState, outcome, receipts);
    }

    @Override
    public List<StoredReceipt> addReceipts(String tokenId, List<Receipt> receipts) {
        return ledger.addReceipts(tokenId, receipts);
    }

    @Override
    public List<LedgerEntry> open() {
        return ledger.open();
    }

    @Override
    public List<TokenHistory> recent(String meterId, int limit) {
        return ledger.recent(meterId, limit);
    }

    @Override
    public List<StoredReceipt> receipts(String tokenId) {
        return ledger.receipts(tokenId);
    }

    @Override
    public List<StoredReceipt> notUplinked() {
        return ledger.notUplinked();
    }

    @Override
    public void markUplinked(List<Long> receiptIds) {
        ledger.markUplinked(receiptIds);
    }

    @Override
    public int prune(Instant before) {
        return ledger.prune(before);
    }
}
