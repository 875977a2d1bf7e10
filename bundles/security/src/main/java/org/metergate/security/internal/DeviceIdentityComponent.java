// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.metergate.api.security.DeviceCommissioning;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's identity as a service: {@link DeviceIdentity} for the head-end link, {@link DeviceServerTls} for the
 * technician console's HTTPS, {@link DeviceCommissioning} for its certificates page and {@link IdentityCommissioning}
 * for the shell. The key pair is created on first start; a configuration change (new gateway id or directory)
 * re-activates the component and opens the keystore again.
 */
// REQUIRE: a gateway has no identity until it is given its id (conf/org.metergate.security.cfg)
@Component(service = {DeviceIdentity.class, DeviceServerTls.class, DeviceCommissioning.class,
        IdentityCommissioning.class}, configurationPid = DeviceIdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SecurityConfig.class)
public class DeviceIdentityComponent implements DeviceIdentity, DeviceServerTls, IdentityCommissioning {

    static final String PID = "org.metergate.security";
    static final String DATA_DIR_PROPERTY = "metergate.data.dir";

    private final DeviceKeystore keystore;
    private final Logger log;

    @Activate
    public DeviceIdentityComponent(BundleContext context, SecurityConfig config,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException, GeneralSecurityException {
        this.log = log;
        String gatewayId;
        try {
            gatewayId = GatewayIds.validate(config.gatewayId());
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            throw e;
        }
        Path directory = directory(context.getProperty(DATA_DIR_PROPERTY), config.directory());
        try {
            keystore = DeviceKeystore.open(directory, gatewayId, new BouncyCastleProvider(), Clock.systemUTC(),
                    new SecureRandom());
        } catch (IOException | GeneralSecurityException e) {
            log.error("device identity for {} in {} cannot be opened: {}", gatewayId, directory, e.getMessage());
            throw e;
        }
        if (OwnerOnlyFiles.widerThanOwner(directory)) {
            log.warn("{} can be read by other users; restrict it with: chmod 700 {}", directory, directory);
        }
        log.info("device identity {} ready in {}; {}", gatewayId, directory,
                keystore.commissioned() ? "signed certificate installed" : DeviceKeystore.NOT_COMMISSIONED);
    }

    static Path directory(String dataDir, String configured) {
        String dir = configured == null || configured.isBlank() ? "security" : configured.strip();
        Path base = Path.of(dataDir == null || dataDir.isBlank() ? "data" : dataDir.strip());
        return base.resolve(dir); // an absolute configured path wins, as Path.resolve does
    }

    @Override
    public String gatewayId() {
        return keystore.gatewayId();
    }

    @Override
    public SSLContext clientTlsContext() throws GeneralSecurityException {
        return keystore.clientTlsContext();
    }

    @Override
    public SSLContext serverTlsContext() throws GeneralSecurityException {
        return keystore.serverTlsContext();
    }

    @Override
    public X509Certificate serverCertificate() {
        return keystore.serverCertificate();
    }

    @Override
    public IdentityStatus status() {
        return keystore.status();
    }

    @Override
    public List<X509Certificate> headendAuthorities() {
        return keystore.headendAuthorities();
    }

    @Override
    public boolean rotationPending() {
        return keystore.rotationPending();
    }

    @Override
    public String certificationRequest() throws GeneralSecurityException {
        return keystore.certificationRequest();
    }

    @Override
    public String startRotation() throws GeneralSecurityException, IOException {
        String request = keystore.startRotation();
        log.info("key rotation for {}: new key pending until its certificate is installed", keystore.gatewayId());
        return request;
    }

    @Override
    public void cancelRotation() throws GeneralSecurityException, IOException {
        keystore.cancelRotation();
        log.info("key rotation for {} cancelled", keystore.gatewayId());
    }

    @Override
    public String install(String chainPem, String authorityPem) throws GeneralSecurityException, IOException {
        try {
            String result = keystore.install(chainPem, authorityPem);
            log.info(result);
            return result;
        } catch (CertificateRejectedException e) {
            log.warn("certificate refused, identity unchanged: {}", e.getMessage());
            throw e;
        }
    }
}
