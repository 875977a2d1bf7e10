// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemMethod;

/** The prepayment objects of the Blue Book the engine talks to. */
final class CosemObjects {
    static final String TOKEN_GATEWAY = "0-0:19.40.0.255";
    static final String ACCOUNT = "0-0:19.0.0.255";
    static final String DISCONNECT_CONTROL = "0-0:96.3.10.255";
    static final String STANDARD_EVENT_LOG = "0-0:99.98.0.255";

    static final CosemMethod TOKEN_ENTER = CosemMethod.of(115, TOKEN_GATEWAY, 1);
    static final CosemAttribute TOKEN_LAST = CosemAttribute.of(115, TOKEN_GATEWAY, 2);
    static final CosemAttribute TOKEN_STATUS = CosemAttribute.of(115, TOKEN_GATEWAY, 6);
    static final CosemAttribute AVAILABLE_CREDIT = CosemAttribute.of(111, ACCOUNT, 5);
    static final CosemAttribute LOW_CREDIT_THRESHOLD = CosemAttribute.of(111, ACCOUNT, 16);
    /** IC 7 buffer: {clock, event code} per entry, oldest first. */
    static final CosemAttribute EVENT_LOG_BUFFER = CosemAttribute.of(7, STANDARD_EVENT_LOG, 2);
    static final CosemAttribute CONTROL_STATE = CosemAttribute.of(70, DISCONNECT_CONTROL, 3);
    static final CosemAttribute CONTROL_MODE = CosemAttribute.of(70, DISCONNECT_CONTROL, 4);
    static final CosemMethod REMOTE_RECONNECT = CosemMethod.of(70, DISCONNECT_CONTROL, 2);

    /** Token gateway status codes (IC 115 attribute 6). */
    static final int EXECUTION_OK = 3;
    static final int RECEIVED_NOT_PROCESSED = 8;

    /** Disconnect control states (IC 70 attribute 3). */
    static final int CONNECTED = 1;
    static final int READY_FOR_RECONNECTION = 2;

    private static final String[] STATUS_NAMES = { "format-ok", "authentication-ok", "validation-ok",
        "execution-ok", "format-fail", "authentication-fail", "validation-fail", "execution-fail",
        "received-not-processed" };

    private CosemObjects() {
    }

    static String statusText(int code) {
        return code + " " + (code >= 0 && code < STATUS_NAMES.length ? STATUS_NAMES[code] : "unknown");
    }
}
