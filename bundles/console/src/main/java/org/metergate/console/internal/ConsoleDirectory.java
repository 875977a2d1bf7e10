// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.nio.file.Path;

/** Where the console keeps its password and setup code: {@code <metergate.data.dir>/console}. */
final class ConsoleDirectory {

    static final String DATA_DIR_PROPERTY = "metergate.data.dir";
    static final String NAME = "console";

    private ConsoleDirectory() {
    }

    static Path of(String dataDir) {
        return Path.of(dataDir == null || dataDir.isBlank() ? "data" : dataDir.strip()).resolve(NAME);
    }
}
