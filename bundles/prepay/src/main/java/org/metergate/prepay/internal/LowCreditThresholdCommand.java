// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.meter.MeterException;

/**
 * The head-end command {@code set-low-credit-threshold}: writes a customer's low-credit threshold (minor units) to
 * the meter's Account object (IC 111 attribute 16), reads it back with the available credit and answers with the
 * result {@code {meter, threshold, balance, currency}} or a failure code and message
 * (docs/mqtt-contract/schemas/cmd-set-low-credit-threshold.json). The meter is written on the prepay worker, so it
 * never competes with a token for the meter's one association.
 */
final class LowCreditThresholdCommand implements CommandHandler {

    static final String NAME = "set-low-credit-threshold";
    /** Attempts when the meter is busy in another session (metering poll). */
    static final int ATTEMPTS = 3;

    private final MeterDirectory meters;
    private final ScheduledExecutorService worker;
    private final String currency;
    private final Duration busyWait;
    private final Duration limit;
    private final PrepayLog log;

    /**
     * @param busyWait wait before trying again when the meter is in another session
     * @param limit longest time the command may take in all
     */
    LowCreditThresholdCommand(MeterDirectory meters, ScheduledExecutorService worker, String currency,
            Duration busyWait, Duration limit, PrepayLog log) {
        this.meters = meters;
        this.worker = worker;
        this.currency = currency;
        this.busyWait = busyWait;
        this.limit = limit;
        this.log = log;
    }

    /** Raised for a request or meter problem; {@code code} is the cmd-response error code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public String command() {
        return NAME;
    }

    @Override
    public CommandResult handle(CommandRequest request) {
        try {
            String meterId = meterId(request);
            long threshold = threshold(request);
            CosemMeter meter = meters.meter(meterId).orElseThrow(() -> new Failure("unknown-meter",
                    "meter " + meterId + " is not a DLMS meter of this gateway (or its driver is not running)"));
            Map<String, Object> result = onWorker(meterId, () -> write(meter, meterId, threshold));
            log.info("low-credit threshold of meter " + meterId + " set to " + result.get("threshold")
                    + " minor units of " + currency);
            return CommandResult.success(result);
        } catch (Failure f) {
            return CommandResult.failure(f.code, f.getMessage());
        }
    }

    private static String meterId(CommandRequest request) throws Failure {
        String meter = request.text("meter").orElse("");
        if (meter.isBlank()) {
            throw new Failure("missing-field", NAME + " needs the meter id as a string: {\"meter\":\"<meter id>\","
                    + "\"threshold\":<minor units>}");
        }
        return meter;
    }

    private long threshold(CommandRequest request) throws Failure {
        Object value = request.argument("threshold");
        if (value == null) {
            throw new Failure("missing-field", NAME + " needs the threshold in minor units, e.g. {\"meter\":\"m1\","
                    + "\"threshold\":500} for 5.00 " + currency);
        }
        BigDecimal n = request.number("threshold").orElse(null);
        if (n == null || n.signum() < 0 || n.stripTrailingZeros().scale() > 0
                || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new Failure("invalid-field", "threshold " + value + " must be a whole number of minor units, 0.."
                    + Integer.MAX_VALUE);
        }
        return n.longValueExact();
    }

    private interface MeterCall {
        Map<String, Object> run() throws Failure, InterruptedException;
    }

    private Map<String, Object> onWorker(String meterId, MeterCall call) throws Failure {
        Future<Map<String, Object>> pending;
        try {
            pending = worker.submit(call::run);
        } catch (RejectedExecutionException e) {
            throw new Failure("busy", "prepay is stopping; send the command again");
        }
        try {
            return pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Failure("meter-no-answer", "meter " + meterId + " did not take the threshold within "
                    + limit.toSeconds() + " s (the prepay worker may be busy with tokens); send the command again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("busy", "the gateway is stopping; send the command again");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failure f) {
                throw f;
            }
            throw new Failure("internal-error", "writing the threshold failed: " + e.getCause());
        }
    }

    private Map<String, Object> write(CosemMeter meter, String meterId, long threshold)
            throws Failure, InterruptedException {
        MeterException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (CosemSession session = meter.open()) {
                session.set(CosemObjects.LOW_CREDIT_THRESHOLD,
                        CosemData.integer(CosemData.IntegerType.DOUBLE_LONG, threshold));
                long stored = session.get(CosemObjects.LOW_CREDIT_THRESHOLD).asLong();
                long balance = session.get(CosemObjects.AVAILABLE_CREDIT).asLong();
                if (stored != threshold) {
                    throw new Failure("meter-refused", "meter " + meterId + " kept its low-credit threshold at "
                            + stored + " instead of " + threshold);
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("meter", meterId);
                result.put("threshold", stored);
                result.put("balance", balance);
                result.put("currency", currency);
                return result;
            } catch (CosemAccessException e) {
                throw new Failure("meter-refused", "meter " + meterId + " refused the low-credit threshold "
                        + threshold + ": " + e.getMessage());
            } catch (MeterException e) {
                last = e;
                if (!e.reason().isTransient() || attempt == ATTEMPTS) {
                    break;
                }
                Thread.sleep(busyWait.toMillis() * attempt);
            }
        }
        String reason = last.reason().name().toLowerCase().replace('_', '-');
        throw new Failure("meter-" + reason, last.getMessage() == null || last.getMessage().isBlank()
                ? "meter " + meterId + " did not take the low-credit threshold (" + reason + ")" : last.getMessage());
    }
}
