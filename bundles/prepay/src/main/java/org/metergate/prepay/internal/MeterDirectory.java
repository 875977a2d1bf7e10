// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.util.Optional;

import org.metergate.api.cosem.CosemMeter;

/** The DLMS meters this gateway has, by meter id. */
interface MeterDirectory {

    Optional<CosemMeter> meter(String meterId);

    default boolean known(String meterId) {
        return meter(meterId).isPresent();
    }
}
