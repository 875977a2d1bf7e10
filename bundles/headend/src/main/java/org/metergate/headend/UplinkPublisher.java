// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import org.metergate.api.uplink.Uplink;
import org.metergate.api.uplink.UplinkState;
import org.metergate.api.uplink.UplinkStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the link's state as the API's {@link Uplink} service for status pages (the technician console). It
 * exists exactly while {@link HeadendComponent} does, so "no Uplink service" still means "no link configured".
 */
// configured by the link's own PID: without a link configuration there is no component to wait for it
@Component(service = Uplink.class, configurationPid = HeadendComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class UplinkPublisher implements Uplink {

    private final HeadendComponent headend;

    @Activate
    public UplinkPublisher(@Reference HeadendComponent headend) {
        this.headend = headend;
    }

    @Override
    public UplinkStatus status() {
        return toApi(headend.status());
    }

    static UplinkStatus toApi(LinkStatus s) {
        return new UplinkStatus(s.brokerUri(), UplinkState.valueOf(s.state().name()), s.connectedSince(),
                s.lastPublish(), s.published(), s.lastError(), s.lastErrorAt());
    }
}
