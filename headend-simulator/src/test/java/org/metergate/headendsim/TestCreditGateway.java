// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;

/**
 * A fake gateway for credit tokens: takes tokens from {@code mg/v1/<id>/credit/tokens}, checks each signature
 * with the head-end public key and answers with the receipts a real gateway sends (accepted, entered,
 * meter-result, balance; rejected for a bad signature; duplicate for a token id seen before), keeping one
 * balance per meter.
 */
public final class TestCreditGateway implements AutoCloseable {

    private final TestClient client;
    private final String id;
    private final ECPublicKey headendKey;
    private final Set<String> seen = new HashSet<>();
    private long balanceMinor;

    private TestCreditGateway(TestClient client, String id, ECPublicKey headendKey, long balanceMinor) {
        this.client = client;
        this.id = id;
        this.headendKey = headendKey;
        this.balanceMinor = balanceMinor;
    }

    public static TestCreditGateway start(String uri, SSLContext tls, String id, ECPublicKey headendKey,
            long balanceMinor) throws MqttException {
        TestCreditGateway gw = new TestCreditGateway(TestClient.connect(uri, tls), id, headendKey, balanceMinor);
        gw.client.onMessage = r -> gw.token(r.payload());
        gw.client.subscribe("mg/v1/" + id + "/credit/tokens");
        return gw;
    }

    private synchronized void token(String payload) {
        String compact = JsonParser.parseString(payload).getAsJsonObject().get("token").getAsString();
        try {
            JWSObject jws = JWSObject.parse(compact);
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            String jti = (String) claims.get("jti");
            String meter = (String) claims.get("meter");
            if (!jws.verify(new ECDSAVerifier(headendKey))) {
                receipt(jti, meter, "rejected", "bad-signature: signature does not match key '"
                        + jws.getHeader().getKeyID() + "'", null, claims);
                return;
            }
            if (!seen.add(jti)) {
                receipt(jti, meter, "duplicate", "already received; original outcome: applied", null, claims);
                return;
            }
            receipt(jti, meter, "accepted", claims.get("kind") + " " + claims.get("amount") + " "
                    + claims.get("currency") + ", queued for meter " + meter, null, claims);
            receipt(jti, meter, "entered", "entered into the meter's token gateway", null, claims);
            receipt(jti, meter, "meter-result", "3 execution-ok", null, claims);
            balanceMinor += (Long) claims.get("amount");
            receipt(jti, meter, "balance", null, balanceMinor, claims);
        } catch (Exception e) {
            receipt(null, null, "rejected", "malformed: " + e.getMessage(), null, Map.of());
        }
    }

    /** Publishes a receipt as the gateway's outbox does, without waiting (this runs on Paho's thread). */
    public void receipt(String token, String meter, String stage, String detail, Long balance,
            Map<String, Object> claims) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", "receipt/v1");
        o.addProperty("msgId", UUID.randomUUID().toString());
        o.addProperty("token", token);
        o.addProperty("meter", meter);
        o.addProperty("stage", stage);
        o.addProperty("detail", detail);
        o.addProperty("balance", balance);
        o.addProperty("currency", (String) claims.getOrDefault("currency", "EUR"));
        o.addProperty("ts", Instant.now().toString());
        MqttMessage m = new MqttMessage(o.toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        try {
            client.client.publish("mg/v1/" + id + "/credit/receipts", m);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a readings batch with one reading of the credit register (minor units of EUR, scaler -2). */
    public void reading(String msgId, String meter, long balanceMinor) {
        JsonObject r = new JsonObject();
        r.addProperty("id", msgId + "-0");
        r.addProperty("meter", meter);
        r.addProperty("obis", "0-0:19.0.0*255");
        r.addProperty("value", balanceMinor);
        r.addProperty("scaler", -2);
        r.addProperty("unit", "EUR");
        r.addProperty("ts", Instant.now().toString());
        r.addProperty("status", "ok");
        JsonObject batch = new JsonObject();
        batch.addProperty("schema", "readings/v1");
        batch.addProperty("msgId", msgId);
        com.google.gson.JsonArray list = new com.google.gson.JsonArray();
        list.add(r);
        batch.add("readings", list);
        MqttMessage m = new MqttMessage(batch.toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        try {
            client.client.publish("mg/v1/" + id + "/readings", m);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
