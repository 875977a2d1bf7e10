// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Console", description = "Technician web console (configuration PID "
        + "org.metergate.console, file conf/org.metergate.console.cfg). Served over HTTPS with the device "
        + "certificate; there is no default password: the first visit needs the one-time setup code from the log "
        + "or bin/metergate setup-code.")
public @interface ConsoleConfig {

    @AttributeDefinition(name = "Port", description = "TCP port of the console, 1..65535")
    int port() default 8443;

    @AttributeDefinition(name = "Listen address", description = "Address of the interface to serve HTTPS on; "
            + "empty = every interface")
    String host() default "";

    @AttributeDefinition(name = "Development HTTP", description = "Serve plain HTTP on 127.0.0.1 only, without "
            + "TLS, for development on a workstation. Never on a gateway in the field")
    boolean developmentHttp() default false;

    @AttributeDefinition(name = "Idle session minutes", description = "A session ends after this many minutes "
            + "without a request, 1..1440")
    int sessionIdleMinutes() default 15;

    @AttributeDefinition(name = "Session hours", description = "A session ends this many hours after login, "
            + "whatever the activity, 1..72")
    int sessionMaxHours() default 8;

    @AttributeDefinition(name = "Wrong passwords before a pause", description = "After this many wrong passwords "
            + "or setup codes in a row, further attempts wait; 1..100")
    int failuresBeforeLockout() default 5;

    @AttributeDefinition(name = "First pause seconds", description = "Length of the first pause; each further "
            + "wrong attempt doubles it, up to 15 minutes; 1..900")
    int lockoutSeconds() default 30;
}
