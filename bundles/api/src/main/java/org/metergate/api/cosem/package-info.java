// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * DLMS/COSEM access for callers that need more than register readouts (prepayment, disconnect control,
 * load profiles): typed attribute and method addresses, a neutral data model and a session with GET, SET
 * and ACTION. Obtain a {@link org.metergate.api.cosem.CosemSession} from a
 * {@link org.metergate.api.cosem.CosemMeter} service.
 */
@Version("1.0.0")
@Export
package org.metergate.api.cosem;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
