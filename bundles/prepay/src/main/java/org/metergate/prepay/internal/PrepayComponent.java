// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.meter.Meter;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.security.HeadendTokenKeys;
import org.metergate.api.state.MeterStateStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes {@link CreditService}: the head-end bundle hands it every credit token. Needs the durable ledger and
 * the outbox; finds meters as {@link CosemMeter} services by their {@link Meter#METER_ID}. Configuration PID
 * {@code org.metergate.prepay}; a configuration change restarts the component, open tokens continue from the
 * ledger.
 */
@Component(service = CreditService.class, configurationPid = "org.metergate.prepay",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PrepayConfig.class)
public class PrepayComponent implements CreditService {

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private TokenLedger ledger;

    @Reference
    private Outbox outbox;

    // the store publishes it with the outbox; without it meter events are not forwarded
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeterStateStore states;

    // the security bundle's head-end keys, added to the configured ones; read at each token
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeadendTokenKeys heldKeys;

    /** The set-low-credit-threshold command, published for the head-end link while this component runs. */
    private ServiceRegistration<CommandHandler> thresholdCommand;

    /** Longest a head-end command may take, waiting for tokens in front of it included. */
    static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private final Map<String, CosemMeter> meters = new ConcurrentHashMap<>();
    private volatile CreditEngine engine;
    private ScheduledExecutorService scheduler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMeter(CosemMeter meter, Map<String, Object> properties) {
        String id = meterId(meter, properties);
        meters.put(id, meter);
        CreditEngine running = engine;
        if (running != null) {
            running.meterAvailable(id);
        }
    }

    void removeMeter(CosemMeter meter, Map<String, Object> properties) {
        meters.remove(meterId(meter, properties), meter);
    }

    private static String meterId(CosemMeter meter, Map<String, Object> properties) {
        Object id = properties.get(Meter.METER_ID);
        return id != null ? id.toString() : meter.id();
    }

    @Activate
    void activate(BundleContext context, PrepayConfig config) {
        PrepaySettings settings;
        try {
            settings = PrepaySettings.from(config);
        } catch (IllegalArgumentException e) {
            logger.error("prepay not started, no credit token is accepted: {} - fix conf/org.metergate.prepay.cfg",
                    e.getMessage());
            throw e;
        }
        int eventPoll = config.eventPollSeconds();
        if (eventPoll < 0 || eventPoll > 86_400) {
            logger.error("prepay not started: eventPollSeconds {} must be 0..86400 - fix conf/org.metergate.prepay.cfg",
                    eventPoll);
            throw new IllegalArgumentException("eventPollSeconds " + eventPoll + " must be 0..86400");
        }
        PrepayLog log = new PrepayLog() {
            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                if (cause == null) {
                    logger.warn(message);
                } else {
                    logger.warn(message, cause);
                }
            }
        };
        HeadendKeyRing keys = new HeadendKeyRing(settings.keys(), () -> heldKeys, log);
        if (keys.keys().isEmpty()) {
            logger.warn("no head-end public keys known (mg:headend-key add, or headendPublicKeys in"
                    + " conf/org.metergate.prepay.cfg): every credit token is rejected as unknown-key until one is added");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metergate-prepay");
            t.setDaemon(true);
            return t;
        });
        MeterDirectory directory = id -> Optional.ofNullable(meters.get(id));
        engine = new CreditEngine(settings, keys, ledger, new ReceiptSink(ledger, outbox, log), directory,
                Clock.systemUTC(), scheduler, Thread::sleep, log, new MeterEvents(() -> states, Clock.systemUTC(), log));
        engine.start();
        if (eventPoll > 0) {
            CreditEngine running = engine;
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    running.pollEvents(List.copyOf(meters.keySet()));
                } catch (RuntimeException e) {
                    // an exception would end the periodic task
                    log.warn("reading the meters' event logs failed; tried again in " + eventPoll + " s", e);
                }
            }, eventPoll, eventPoll, TimeUnit.SECONDS);
        }
        thresholdCommand = context.registerService(CommandHandler.class, new LowCreditThresholdCommand(directory,
                scheduler, settings.currency(), Duration.ofSeconds(1), COMMAND_LIMIT, log), null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (thresholdCommand != null) {
            thresholdCommand.unregister();
            thresholdCommand = null;
        }
        engine = null;
        scheduler.shutdownNow();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            logger.warn("prepay worker did not stop within 10 s; an open token resumes from the ledger at next start");
        }
    }

    @Override
    public Receipt submit(String compactToken) {
        CreditEngine running = engine;
        if (running == null) {
            throw new IllegalStateException("prepay is stopping; the token is not recorded, send it again");
        }
        return running.submit(compactToken);
    }

    @Override
    public List<Receipt> receipts(String tokenId) {
        CreditEngine running = engine;
        return running == null ? List.of() : running.receipts(tokenId);
    }
}
