// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

/** The few log calls the engine makes; the component maps them to the OSGi log, tests to nothing or a list. */
interface PrepayLog {

    void info(String message);

    void warn(String message, Throwable cause);

    PrepayLog NONE = new PrepayLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
        }
    };
}
