// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.metergate.headendsim.Observation;
import org.metergate.simulator.dlms.DlmsMeter;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;

/**
 * A test head-end's prepayment side for a gateway process: its signing key, the gateway's prepay configuration
 * trusting that key, the DLMS meter configuration and keys a technician enters, and credit tokens it signs.
 */
final class PrepaidGateway {

    private final ECKey headendKey;

    PrepaidGateway(ECKey headendKey) {
        this.headendKey = headendKey;
    }

    /** conf/org.metergate.prepay.cfg: trusts the head-end key, fast retries and status polls, maps serial to meter id. */
    void configurePrepay(GatewayProcess gateway, String meterId, DlmsMeter meter) throws Exception {
        gateway.writeConf("org.metergate.prepay.cfg", "headendPublicKeys=" + headendKey.getKeyID()
                + "=-----BEGIN PUBLIC KEY-----"
                + Base64.getEncoder().encodeToString(headendKey.toECPublicKey().getEncoded())
                + "-----END PUBLIC KEY-----\n"
                + "currency=EUR\nmaxAmountMinor=50000\nclockSkewSeconds=60\n"
                + "retryInitialSeconds=1\nretryMaxSeconds=2\nstatusPollMillis=100\neventPollSeconds=0\n"
                + "meterAliases=" + meter.config().serial() + "=" + meterId + "\n");
    }

    /** conf/org.metergate.dlms.meter-&lt;id&gt;.cfg: the simulated meter over its wrapper port, HLS5-GMAC. */
    static void writeDlmsMeterConfig(GatewayProcess gateway, String meterId, DlmsMeter meter, int pollIntervalSeconds)
            throws Exception {
        gateway.writeConf("org.metergate.dlms.meter-" + meterId + ".cfg", "meterId=" + meterId + "\n"
                + "link=tcp://127.0.0.1:" + meter.wrapperPort() + "\n"
                + "authentication=HLS5_GMAC\n"
                + "expectedSystemTitle=" + meter.config().systemTitleHex() + "\n"
                + "pollIntervalSeconds=" + pollIntervalSeconds + "\nresponseTimeoutMs=2000\nretries=1\n"
                + "backoffInitialSeconds=1\nbackoffMaxSeconds=1\n");
    }

    /** The meter's authentication and encryption keys, typed in with {@code mg:dlms-key}. */
    static void enterKeys(GatewayProcess gateway, String meterId, DlmsMeter meter) throws Exception {
        HexFormat hex = HexFormat.of();
        assertThat(gateway.execute("mg:dlms-key " + meterId + " authentication "
                + hex.formatHex(meter.config().authenticationKey()))).contains("Stored the authentication key");
        assertThat(gateway.execute("mg:dlms-key " + meterId + " encryption "
                + hex.formatHex(meter.config().encryptionKey()))).contains("Stored the encryption key");
    }

    /** A credit token for the meter's serial, valid for an hour. */
    String sign(String jti, String serial, long amount) throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", jti);
        c.put("meter", serial);
        c.put("amount", amount);
        c.put("currency", "EUR");
        c.put("kind", "credit");
        c.put("iat", now);
        c.put("exp", now + 3600);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(headendKey.getKeyID()).build(),
                new Payload(c));
        jws.sign(new ECDSASigner(headendKey));
        return jws.serialize();
    }

    /** Whether an observation is the receipt of {@code stage} for token {@code jti}. */
    static boolean isReceipt(Observation o, String jti, String stage) {
        return o.payload() != null && jti.equals(o.payload().get("token").getAsString())
                && stage.equals(o.payload().get("stage").getAsString());
    }
}
