// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.DataDirectory;
import org.openmuc.jdlms.LogicalDevice;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.internal.association.Association;
import org.openmuc.jdlms.internal.transportlayer.server.ServerConnectionInformationImpl;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;
import org.openmuc.jdlms.sessionlayer.server.ServerWrapperLayer;
import org.openmuc.jdlms.settings.server.ServerSettings;

/**
 * One simulated DLMS/COSEM meter on the network: its COSEM objects, a TCP port with the DLMS wrapper, optionally a
 * TCP port carrying HDLC frames (which a pseudo-terminal can be bridged to), and {@link #serveHdlc} for an IEC
 * 62056-21 mode E session that switches to HDLC.
 */
public final class DlmsMeter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DlmsMeter.class.getName());

    private final DlmsMeterConfig config;
    private final MeterFirmware meter;
    private final LogicalDevice logicalDevice;
    private final DataDirectory directory;
    private final ServerSettings settings;
    private final DlmsFaults faults;
    private final AtomicLong connectionIds = new AtomicLong();
    private final ExecutorService workers;
    private final Set<ServerSocket> listeners = ConcurrentHashMap.newKeySet();
    private final Set<MeterLine> lines = ConcurrentHashMap.newKeySet();
    private volatile int wrapperPort = -1;
    private volatile int hdlcPort = -1;
    private volatile boolean closed;

    DlmsMeter(DlmsMeterConfig config, MeterFirmware meter) {
        this.config = config;
        this.meter = meter;
        this.faults = new DlmsFaults(this::applyKeys);
        this.logicalDevice = new LogicalDevice(DlmsMeterConfig.LOGICAL_DEVICE_ID,
                config.manufacturer() + config.serial(), config.manufacturer(), config.deviceId());
        logicalDevice.setMasterKey(config.masterKey());
        logicalDevice.addRestriction(DlmsMeterConfig.PUBLIC_CLIENT_ID, SecuritySuite.builder().build());
        applyKeys();
        logicalDevice.registerCosemObject(cosemObjects(meter));
        DirectoryBuilder builder = new DirectoryBuilder(logicalDevice);
        this.directory = builder.directory();
        this.settings = builder.settings();
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "dlms-meter-" + config.serial());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static List<CosemInterfaceObject> cosemObjects(MeterFirmware meter) {
        ProfileSources sources = new ProfileSources(meter);
        return List.of(new ClockObject(meter),
                new RegisterObject("1-0:1.8.0.255", 0, RegisterObject.UNIT_WATT_HOUR, meter::importWh),
                new RegisterObject("1-0:1.8.1.255", 0, RegisterObject.UNIT_WATT_HOUR,
                        () -> meter.registersAt(meter.now())[1]),
                new RegisterObject("1-0:1.8.2.255", 0, RegisterObject.UNIT_WATT_HOUR,
                        () -> meter.registersAt(meter.now())[2]),
                new RegisterObject("1-0:2.8.0.255", 0, RegisterObject.UNIT_WATT_HOUR, meter::exportWh),
                new RegisterObject("1-0:32.7.0.255", -1, RegisterObject.UNIT_VOLT, meter::voltageDeciVolts),
                new RegisterObject("1-0:31.7.0.255", -2, RegisterObject.UNIT_AMPERE, meter::currentCentiAmps),
                new RegisterObject("1-0:1.7.0.255", 0, RegisterObject.UNIT_WATT, meter::powerWatts),
                new RegisterObject("1-0:14.7.0.255", -2, RegisterObject.UNIT_HERTZ, meter::frequencyCentiHertz),
                new DataValueObject("0-0:96.1.0.255", AccessGuard.PUBLIC_READ,
                        () -> DataObject.newOctetStringData(meter.serial().getBytes(
                                StandardCharsets.US_ASCII))),
                new DataValueObject("0-0:43.1.0.255", AccessGuard.PUBLIC_READ,
                        () -> DataObject.newUInteger32Data(meter.invocationCounter())),
                new DataValueObject(ProfileSources.EVENT_CODE_OBIS, AccessGuard.PUBLIC_READ,
                        () -> DataObject.newUInteger16Data(sources.lastEventCode())),
                new DataValueObject(ProfileSources.POWER_FAILURE_DURATION_OBIS, AccessGuard.PUBLIC_READ,
                        () -> DataObject.newUInteger32Data(sources.lastPowerFailureSeconds())),
                new ProfileObject("1-0:99.1.0.255", AccessGuard.PUBLIC_READ, sources.loadProfile(),
                        meter.config().zone()),
                new ProfileObject("0-0:99.98.0.255", AccessGuard.PUBLIC_READ, sources.eventLog(),
                        meter.config().zone()),
                new ProfileObject("0-0:99.98.1.255", AccessGuard.PUBLIC_READ, sources.powerFailureLog(),
                        meter.config().zone()),
                new AccountObject(meter), CreditObject.tokenCredit(meter), CreditObject.emergencyCredit(meter),
                new TokenGatewayObject(meter), new DisconnectControlObject(meter));
    }

    /** (Re)installs the management client's keys: the configured ones, or different ones under the fault. */
    private void applyKeys() {
        boolean wrong = faults != null && faults.wrongKeys();
        byte[] authentication = wrong ? DlmsMeterConfig.deriveKey(config.seed(), config.serial(), "wrong-auth")
                : config.authenticationKey();
        byte[] encryption = wrong ? DlmsMeterConfig.deriveKey(config.seed(), config.serial(), "wrong-enc")
                : config.encryptionKey();
        logicalDevice.addRestriction(DlmsMeterConfig.MANAGEMENT_CLIENT_ID,
                SecuritySuite.builder()
                        .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                        .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                        .setAuthenticationKey(authentication)
                        .setGlobalUnicastEncryptionKey(encryption)
                        .build());
    }

    /** Starts listening for the DLMS wrapper over TCP on {@code port} (0 picks a free port). */
    void listenWrapper(InetAddress bindAddress, int port) throws IOException {
        wrapperPort = listen(bindAddress, port, false);
    }

    /** Starts listening for HDLC frames over TCP on {@code port} (0 picks a free port). */
    void listenHdlc(InetAddress bindAddress, int port) throws IOException {
        hdlcPort = listen(bindAddress, port, true);
    }

    private int listen(InetAddress bindAddress, int port, boolean hdlc) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(bindAddress, port));
        } catch (IOException e) {
            listener.close();
            throw new IOException("meter " + config.serial() + ": cannot listen on " + bindAddress.getHostAddress()
                    + ":" + port + " (" + e.getMessage() + "); choose another --base-port, or 0 for free ports", e);
        }
        listeners.add(listener);
        workers.execute(() -> acceptLoop(listener, hdlc));
        return listener.getLocalPort();
    }

    private void acceptLoop(ServerSocket listener, boolean hdlc) {
        while (!closed && !listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                MeterLine line = MeterLine.of(socket, hdlc, faults);
                workers.execute(() -> serve(line, hdlc, socket.getInetAddress(), true));
            } catch (SocketException e) {
                return; // listener closed
            } catch (IOException e) {
                LOG.log(Level.WARNING, "meter " + config.serial() + ": accept failed", e);
            }
        }
    }

    /**
     * Runs one HDLC session (SNRM to DISC, or until the peer closes the streams) on the given streams and returns:
     * the hook for an IEC 62056-21 mode E session after the switch to HDLC. Blocks the calling thread and leaves
     * the streams open for the caller.
     */
    public void serveHdlcSession(InputStream in, OutputStream out) {
        serve(MeterLine.of(in, out, faults), true, null, false);
    }

    /** Runs associations on a line; a TCP line keeps serving HDLC sessions until the peer closes it. */
    private void serve(MeterLine line, boolean hdlc, InetAddress client, boolean ownsLine) {
        lines.add(line);
        try {
            do {
                ServerSessionLayer session = hdlc ? new HdlcServerSession(line, settings.getResponseTimeout())
                        : new ServerWrapperLayer(line, settings);
                GuardedSessionLayer guarded = new GuardedSessionLayer(session, this, line);
                ServerConnectionInformationImpl info = new ServerConnectionInformationImpl() {
                    @Override
                    public InetAddress getClientInetAddress() {
                        return client;
                    }
                };
                new Association(directory, guarded, connectionIds.incrementAndGet(), settings, info).run();
                if (!closed) {
                    meter.flush();
                }
            } while (ownsLine && hdlc && !closed && line.usable());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "meter " + config.serial() + ": association ended with an internal error", e);
        } finally {
            if (ownsLine) {
                line.closeLine();
            }
            lines.remove(line);
        }
    }

    public DlmsMeterConfig config() {
        return config;
    }

    /** The meter's firmware state for assertions and manual actions (credit, relay, tokens, button). */
    public MeterFirmware firmware() {
        return meter;
    }

    public DlmsFaults faults() {
        return faults;
    }

    /** TCP port of the DLMS wrapper, -1 when not listening. */
    public int wrapperPort() {
        return wrapperPort;
    }

    /** TCP port carrying HDLC frames, -1 when not listening. */
    public int hdlcPort() {
        return hdlcPort;
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (MeterLine line : lines) {
            line.closeLine();
        }
        // sockets are closed, so sessions end by themselves; interrupting them could cut a state file write short
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warning("meter " + config.serial() + ": sessions did not end within 2 s of closing");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        meter.close();
    }
}
