// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.PortInfo;
import org.metergate.serial.ByteLinks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Publishes {@link LinkService}: serial ports via jSerialComm and raw TCP serial servers. */
@Component(service = LinkService.class, configurationPid = SerialLinkService.PID)
@Designate(ocd = SerialLinkService.Config.class)
public final class SerialLinkService implements LinkService {

    static final String PID = "org.metergate.serial";

    @ObjectClassDefinition(name = "Metergate serial links",
            description = "Local serial ports (jSerialComm) and raw TCP serial servers (ser2net)")
    public @interface Config {

        @AttributeDefinition(name = "Probe busy ports",
                description = "When listing ports, open each one briefly (without changing its settings) "
                        + "to find out whether another program holds it")
        boolean probeBusy() default true;
    }

    private volatile boolean probeBusy = true;

    @Activate
    @Modified
    void configure(Config config) {
        probeBusy = config.probeBusy();
    }

    @Override
    public ByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout) throws IOException {
        return ByteLinks.open(address, settings, openTimeout);
    }

    @Override
    public List<PortInfo> listPorts() {
        return ByteLinks.listPorts(probeBusy);
    }
}
