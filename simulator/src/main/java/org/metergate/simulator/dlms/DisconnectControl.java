// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/**
 * Disconnect control (IC 70) states and the Blue Book control-mode rules the simulated meter follows:
 * <ul>
 * <li>remote disconnect: every mode but 0;</li>
 * <li>remote reconnect: modes 2 and 4 connect at once, modes 1, 3 and 6 only arm the customer's button
 * (ready for reconnection), modes 0 and 5 refuse;</li>
 * <li>manual (button) reconnect from ready for reconnection: modes 1 to 6; manual disconnect: modes 1, 2, 5;</li>
 * <li>local disconnect (credit exhausted): modes 1 to 6; local reconnect once credit is back: modes 5 and 6, and
 * only after a credit disconnection.</li>
 * </ul>
 */
final class DisconnectControl {
    static final int DISCONNECTED = 0;
    static final int CONNECTED = 1;
    static final int READY_FOR_RECONNECTION = 2;

    private DisconnectControl() {
    }

    static boolean remoteDisconnectAllowed(int mode) {
        return mode != 0;
    }

    static boolean remoteReconnectConnectsDirectly(int mode) {
        return mode == 2 || mode == 4;
    }

    static boolean remoteReconnectArmsButton(int mode) {
        return mode == 1 || mode == 3 || mode == 6;
    }

    static boolean manualDisconnectAllowed(int mode) {
        return mode == 1 || mode == 2 || mode == 5;
    }

    static boolean localDisconnectAllowed(int mode) {
        return mode != 0;
    }

    static boolean localReconnectAllowed(int mode) {
        return mode == 5 || mode == 6;
    }
}
