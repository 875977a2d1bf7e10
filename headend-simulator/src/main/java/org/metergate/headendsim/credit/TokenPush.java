// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.metergate.headendsim.HeadendSimulator;

/**
 * Sends a token to a gateway through a connected head-end and follows its receipts until the final one (or the
 * time is up), handing each to the caller on the caller's thread as it arrives.
 */
public final class TokenPush {

    private final HeadendSimulator headend;

    public TokenPush(HeadendSimulator headend) {
        this.headend = headend;
    }

    /**
     * Publishes {@code token} to {@code mg/v1/<gateway>/credit/tokens} and waits for its receipts.
     *
     * @param onReceipt called for each receipt of this token, in arrival order, on this thread
     * @param timeout   how long to follow the receipts; the progress returned may still be in progress then
     */
    public TokenProgress push(String gateway, IssuedToken token, Consumer<TokenReceipt> onReceipt, Duration timeout)
            throws MqttException, InterruptedException {
        BlockingQueue<TokenReceipt> arrived = new LinkedBlockingQueue<>();
        TokenProgress progress = new TokenProgress(token.id());
        // listening before sending: the first receipt can come back before the publish returns
        try (HeadendSimulator.Listening listening = headend.addListener(o -> TokenReceipt.from(o)
                .filter(r -> gateway.equals(r.gateway()) && token.id().equals(r.token()))
                .ifPresent(arrived::add))) {
            headend.sendToken(gateway, token.compact(), timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!progress.isFinished()) {
                long left = deadline - System.nanoTime();
                TokenReceipt r = left > 0 ? arrived.poll(left, TimeUnit.NANOSECONDS) : null;
                if (r == null) {
                    break;
                }
                progress.accept(r);
                onReceipt.accept(r);
            }
            return progress;
        }
    }
}
