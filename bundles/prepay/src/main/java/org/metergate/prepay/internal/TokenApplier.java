// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.meter.MeterException;

/**
 * Applies one token over an open association: persist "entering", ACTION enter, poll the status until the meter
 * processed it, read the balance, write the outcome, then reconnect when the top-up allows it. A token found in
 * "entering" (a crash or a lost answer) is first looked for on the meter: when the meter's last token is ours,
 * its status is the outcome and the token is never entered again.
 */
final class TokenApplier {

    /** Sleeps between status polls; tests pass a no-op wait. */
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final TokenLedger ledger;
    private final ReceiptSink sink;
    private final PrepaySettings settings;
    private final Clock clock;
    private final Pause pause;
    private final PrepayLog log;

    TokenApplier(TokenLedger ledger, ReceiptSink sink, PrepaySettings settings, Clock clock, Pause pause,
            PrepayLog log) {
        this.ledger = ledger;
        this.sink = sink;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        this.log = log;
    }

    void apply(CosemSession session, LedgerEntry entry) throws MeterException, InterruptedException {
        byte[] payload = entry.meterPayload();
        if (entry.state() == TokenState.ENTERING) {
            byte[] last = octets(session.get(CosemObjects.TOKEN_LAST));
            if (Arrays.equals(last, payload)) {
                log.info("token " + entry.tokenId() + " was entered into meter " + entry.meterId()
                        + " before the gateway stopped; taking the meter's status instead of entering it again");
                finish(session, entry, pollStatus(session, entry));
                return;
            }
            // the meter's last token is another one, so ours never arrived; the meter's used-token list guards
            // against the rare case where it did and something was entered after it
        } else {
            ledger.update(entry.tokenId(), TokenState.ENTERING, null, List.of());
        }
        session.action(CosemObjects.TOKEN_ENTER, CosemData.octetString(payload));
        sink.publish(ledger.addReceipts(entry.tokenId(), List.of(receipt(entry, ReceiptStage.ENTERED,
                "entered into the meter's token gateway", null))));
        finish(session, entry, pollStatus(session, entry));
    }

    private int pollStatus(CosemSession session, LedgerEntry entry) throws MeterException, InterruptedException {
        long deadline = System.nanoTime() + settings.statusPollLimit().toNanos();
        while (true) {
            int status = statusCode(session.get(CosemObjects.TOKEN_STATUS));
            if (status != CosemObjects.RECEIVED_NOT_PROCESSED) {
                return status;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new MeterException(MeterException.Reason.NO_ANSWER, "meter " + entry.meterId()
                        + " still processes token " + entry.tokenId() + " after "
                        + settings.statusPollLimit().toSeconds() + " s; its status is read again later");
            }
            pause.pause(settings.statusPoll().toMillis());
        }
    }

    private void finish(CosemSession session, LedgerEntry entry, int status) throws MeterException {
        long balance = session.get(CosemObjects.AVAILABLE_CREDIT).asLong();
        List<Receipt> receipts = new ArrayList<>();
        boolean enteredReported = ledger.receipts(entry.tokenId()).stream()
                .anyMatch(r -> r.receipt().stage() == ReceiptStage.ENTERED);
        if (!enteredReported) {
            receipts.add(receipt(entry, ReceiptStage.ENTERED, "entered into the meter's token gateway", null));
        }
        String statusText = CosemObjects.statusText(status);
        receipts.add(receipt(entry, ReceiptStage.METER_RESULT, statusText, null));
        receipts.add(receipt(entry, ReceiptStage.BALANCE, null, balance));
        if (status == CosemObjects.EXECUTION_OK) {
            // before DONE, so its receipt is in the same transaction; after a crash here the relay state is
            // simply read again
            reconnectIfDisconnected(session, entry).ifPresent(receipts::add);
        }
        List<StoredReceipt> stored = ledger.update(entry.tokenId(), TokenState.DONE,
                "meter-result " + statusText + ", balance " + balance, receipts);
        sink.publish(stored);
    }

    /** Reconnects the relay when the mode allows it; returns the ready-for-reconnection receipt when one is due. */
    private Optional<Receipt> reconnectIfDisconnected(CosemSession session, LedgerEntry entry) {
        try {
            int state = (int) session.get(CosemObjects.CONTROL_STATE).asLong();
            if (state == CosemObjects.CONNECTED) {
                return Optional.empty();
            }
            int mode = (int) session.get(CosemObjects.CONTROL_MODE).asLong();
            String detail;
            if (mode == 2 || mode == 4) {
                // Blue Book: in modes 2 and 4 remote_reconnect closes the relay at once
                session.action(CosemObjects.REMOTE_RECONNECT, CosemData.noParameter());
                if (session.get(CosemObjects.CONTROL_STATE).asLong() == CosemObjects.CONNECTED) {
                    log.info("meter " + entry.meterId() + " reconnected after token " + entry.tokenId());
                    return Optional.empty();
                }
                detail = "remote reconnection did not close the relay (control mode " + mode
                        + "); the customer may have to press the meter's button";
            } else if (mode == 1 || mode == 3 || mode == 6) {
                // these modes only arm the customer's button
                if (state != CosemObjects.READY_FOR_RECONNECTION) {
                    session.action(CosemObjects.REMOTE_RECONNECT, CosemData.noParameter());
                }
                detail = "control mode " + mode + " needs the customer to press the meter's button";
            } else if (state == CosemObjects.READY_FOR_RECONNECTION) {
                detail = "control mode " + mode + " allows no remote reconnection; the meter waits for its button";
            } else {
                log.info("meter " + entry.meterId() + " stays disconnected after token " + entry.tokenId()
                        + ": control mode " + mode + " allows no remote reconnection");
                return Optional.empty();
            }
            return Optional.of(receipt(entry, ReceiptStage.READY_FOR_RECONNECTION, detail, null));
        } catch (MeterException | RuntimeException e) {
            log.warn("credit from token " + entry.tokenId() + " is on meter " + entry.meterId()
                    + " but reconnecting it failed; the customer can use the meter's button", e);
            return Optional.empty();
        }
    }

    Receipt receipt(LedgerEntry entry, ReceiptStage stage, String detail, Long balance) {
        return new Receipt(entry.tokenId(), entry.meterId(), stage, detail, balance, entry.currency(), now());
    }

    private Instant now() {
        return clock.instant();
    }

    /** Attribute 6 is a structure {status enum, data bit-string} in the Blue Book; some meters send the enum. */
    static int statusCode(CosemData data) {
        if (data instanceof CosemData.Structure s && !s.elements().isEmpty()) {
            return (int) s.get(0).asLong();
        }
        return (int) data.asLong();
    }

    private static byte[] octets(CosemData data) {
        if (data instanceof CosemData.OctetString o) {
            return o.value();
        }
        if (data instanceof CosemData.VisibleString v) {
            return v.bytes();
        }
        return new byte[0];
    }
}
