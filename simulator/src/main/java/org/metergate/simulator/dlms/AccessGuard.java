// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.DlmsAccessException;
import org.openmuc.jdlms.DlmsInterceptor;
import org.openmuc.jdlms.DlmsInvocationContext;
import org.openmuc.jdlms.DlmsInvocationContext.XDlmsServiceType;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.IllegalMethodAccessException;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * Access rights per object. jDLMS tells an interceptor the security policy of the association, not the client id;
 * only the management client has an authenticated policy (HLS5-GMAC), so "authenticated" stands for it.
 * Public objects can be read by everybody; everything else, and every SET and ACTION, needs the management client.
 */
final class AccessGuard implements DlmsInterceptor {
    static final AccessGuard PUBLIC_READ = new AccessGuard(true);
    static final AccessGuard MANAGEMENT_ONLY = new AccessGuard(false);

    private final boolean publicRead;

    private AccessGuard(boolean publicRead) {
        this.publicRead = publicRead;
    }

    @Override
    public DataObject intercept(DlmsInvocationContext ctx) throws DlmsAccessException {
        boolean authenticated = ctx.getSecurityPolicy() != null && ctx.getSecurityPolicy().isAuthenticated();
        XDlmsServiceType service = ctx.getXDlmsServiceType();
        if (!authenticated) {
            if (service == XDlmsServiceType.ACTION) {
                throw new IllegalMethodAccessException(MethodResultCode.READ_WRITE_DENIED);
            }
            if (service == XDlmsServiceType.SET || !publicRead) {
                throw new IllegalAttributeAccessException(AccessResultCode.READ_WRITE_DENIED);
            }
        }
        return ctx.proceed();
    }
}
