// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Device identity",
        description = "The gateway's key pair and certificates for mutual TLS to the head-end")
public @interface SecurityConfig {

    @AttributeDefinition(name = "Gateway id", required = true,
            description = "Unique id of this gateway, letters, digits, '-' and '_' (1..64); also the certificate CN "
                    + "and the MQTT topic level mg/v1/<gatewayId>/")
    String gatewayId();

    @AttributeDefinition(name = "Key directory",
            description = "Where device.p12 and its password live; relative paths are under the data directory "
                    + "(framework property metergate.data.dir, default 'data')")
    String directory() default "security";
}
