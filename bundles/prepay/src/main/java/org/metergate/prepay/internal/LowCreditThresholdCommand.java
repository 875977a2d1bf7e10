// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.meter.MeterException;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The head-end command {@code set-low-credit-threshold}: writes a customer's low-credit threshold (minor units) to
 * the meter's Account object (IC 111 attribute 16), reads it back with the available credit and answers
 * {@code {"ok":true,"result":{meter, threshold, balance, currency}}} or {@code {"ok":false,"error":{code,
 * message}}} (docs/mqtt-contract/schemas/cmd-low-credit-threshold.json). The meter is written on the prepay
 * worker, so it never competes with a token for the meter's one association.
 */
final class LowCreditThresholdCommand implements Function<String, String> {

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
    public String apply(String requestJson) {
        try {
            Map<String, Object> request = parse(requestJson);
            String meterId = meterId(request);
            long threshold = threshold(request);
            CosemMeter meter = meters.meter(meterId).orElseThrow(() -> new Failure("unknown-meter",
                    "meter " + meterId + " is not a DLMS meter of this gateway (or its driver is not running)"));
            Map<String, Object> result = onWorker(meterId, () -> write(meter, meterId, threshold));
            log.info("low-credit threshold of meter " + meterId + " set to " + result.get("threshold")
                    + " minor units of " + currency);
            return ok(result);
        } catch (Failure f) {
            return error(f.code, f.getMessage());
        }
    }

    private static Map<String, Object> parse(String json) throws Failure {
        try {
            return JSONObjectUtils.parse(json == null ? "" : json);
        } catch (ParseException e) {
            throw new Failure("malformed-request", "the request is not a JSON object: " + e.getMessage());
        }
    }

    private static String meterId(Map<String, Object> request) throws Failure {
        Object meter = request.get("meter");
        if (!(meter instanceof String s) || s.isBlank()) {
            throw new Failure("missing-field", NAME + " needs the meter id as a string: {\"meter\":\"<meter id>\","
                    + "\"threshold\":<minor units>}");
        }
        return s;
    }

    private long threshold(Map<String, Object> request) throws Failure {
        Object value = request.get("threshold");
        if (value == null) {
            throw new Failure("missing-field", NAME + " needs the threshold in minor units, e.g. {\"meter\":\"m1\","
                    + "\"threshold\":500} for 5.00 " + currency);
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < 0 || n.doubleValue() > Integer.MAX_VALUE) {
            throw new Failure("invalid-field", "threshold " + value + " must be a whole number of minor units, 0.."
                    + Integer.MAX_VALUE);
        }
        return n.longValue();
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
        throw new Failure("meter-" + last.reason().name().toLowerCase().replace('_', '-'), last.getMessage());
    }

    private static String ok(Map<String, Object> result) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("ok", true);
        o.put("result", result);
        return JSONObjectUtils.toJSONString(o);
    }

    static String error(String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("ok", false);
        o.put("error", e);
        return JSONObjectUtils.toJSONString(o);
    }
}
