// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * What a stopped gateway's token ledger holds for some token ids, read like {@link OutboxSnapshot} from a
 * {@link DatabaseCopy} with the shipped store's own code ({@code Stores}): what the gateway would find at its
 * next start, its own files untouched.
 */
record LedgerSnapshot(Map<String, Optional<LedgerEntry>> entries) {

    /** Reads the entries of {@code tokenIds}; the gateway must not be running, or the copy could be torn. */
    static LedgerSnapshot read(Path database, Path scratch, Collection<String> tokenIds) throws Exception {
        try (DatabaseCopy copy = DatabaseCopy.of(database, scratch);
                EmbeddedStore store = Stores.sqlite(copy.file())) {
            Map<String, Optional<LedgerEntry>> found = new LinkedHashMap<>();
            TokenLedger ledger = store.tokenLedger();
            for (String id : tokenIds) {
                found.put(id, ledger.find(id));
            }
            return new LedgerSnapshot(found);
        }
    }

    Optional<LedgerEntry> entry(String tokenId) {
        return entries.getOrDefault(tokenId, Optional.empty());
    }
}
