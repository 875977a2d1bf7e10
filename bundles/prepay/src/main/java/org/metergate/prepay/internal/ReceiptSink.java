// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.metergate.api.credit.Receipt;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Hands receipts the ledger already holds to the outbox and marks them uplinked. A receipt the outbox refuses
 * stays marked "not uplinked" in the ledger and goes out with the next {@link #flush()}.
 */
final class ReceiptSink {

    static final String SCHEMA = "receipt/v1";

    private final TokenLedger ledger;
    private final Outbox outbox;
    private final PrepayLog log;

    ReceiptSink(TokenLedger ledger, Outbox outbox, PrepayLog log) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.log = log;
    }

    synchronized void publish(List<StoredReceipt> receipts) {
        List<Long> done = new ArrayList<>();
        for (StoredReceipt stored : receipts) {
            if (stored.uplinked()) {
                continue;
            }
            Receipt r = stored.receipt();
            try {
                outbox.append(MessageKind.RECEIPT, r.meterId(), Retention.RECEIPT, json(r));
                done.add(stored.id());
            } catch (OutboxException e) {
                log.warn("receipt " + r.stage().wireName() + " of token " + r.tokenId()
                        + " waits in the ledger: the outbox refused it; it is sent again later", e);
                break; // keep the order: later receipts wait too
            }
        }
        if (!done.isEmpty()) {
            ledger.markUplinked(done);
        }
    }

    /** Sends what a crash or a full outbox left behind. */
    void flush() {
        publish(ledger.notUplinked());
    }

    /** The receipt/v1 JSON of docs/mqtt-contract/schemas/receipts.json; the link adds msgId. */
    static String json(Receipt r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("schema", SCHEMA);
        o.put("token", r.tokenId());
        o.put("meter", r.meterId());
        o.put("stage", r.stage().wireName());
        o.put("detail", r.detail());
        o.put("balance", r.balanceMinor());
        o.put("currency", r.currency());
        o.put("ts", r.at().toString());
        o.values().removeIf(v -> v == null);
        return JSONObjectUtils.toJSONString(o);
    }
}
