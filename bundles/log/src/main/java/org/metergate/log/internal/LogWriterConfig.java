// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
        id = LogWriterComponent.PID,
        name = "Metergate log",
        description = "Where log entries are written and which levels are kept. "
                + "The file lives in <metergate.data.dir>/log/metergate.log.")
@interface LogWriterConfig {

    @AttributeDefinition(name = "Root level", description = "Level for every logger without its own entry.",
            options = {
                @Option(label = "ERROR", value = "ERROR"), @Option(label = "WARN", value = "WARN"),
                @Option(label = "INFO", value = "INFO"), @Option(label = "DEBUG", value = "DEBUG"),
                @Option(label = "TRACE", value = "TRACE")})
    String rootLevel() default "INFO";

    @AttributeDefinition(name = "Logger levels", required = false,
            description = "Comma-separated name=LEVEL entries; a name is a logger or package prefix "
                    + "(org.metergate.store) or a bundle symbolic name. Events.Bundle and Events.Service are "
                    + "the framework's own bundle and service events.")
    String loggerLevels() default "Events.Bundle=WARN, Events.Service=WARN";

    @AttributeDefinition(name = "Console", description = "Also print entries on standard output.")
    boolean console() default true;

    @AttributeDefinition(name = "File", description = "Write entries to data/log/metergate.log.")
    boolean file() default true;

    @AttributeDefinition(name = "Maximum file size (KiB)", min = "16", description = "Size at which the file is rotated.")
    int maxFileSizeKb() default 2048;

    @AttributeDefinition(name = "Files kept", min = "1", max = "50",
            description = "Number of files kept including the active one.")
    int maxFiles() default 5;
}
