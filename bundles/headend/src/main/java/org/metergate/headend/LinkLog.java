// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

/** The few log calls the link makes; the component maps them to the OSGi Log Service, tests record them. */
interface LinkLog {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}
