// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The connectivity page: {@code GET /connectivity} shows the last or running check (the page reloads itself every
 * {@value #REFRESH_SECONDS} s while it runs, without script), {@code POST /connectivity/start} starts one.
 */
final class ConnectivitySection implements ConsoleSection {

    static final int REFRESH_SECONDS = 1;

    private final LinkChecks checks;

    ConnectivitySection(LinkChecks checks) {
        this.checks = checks;
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/connectivity") || path.startsWith("/connectivity/");
    }

    @Override
    public void get(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.equals("/connectivity")) {
            ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
            return;
        }
        LinkChecks.Snapshot snapshot = checks.snapshot();
        if (snapshot.running()) {
            response.setHeader("Refresh", Integer.toString(REFRESH_SECONDS));
        }
        ConsoleServlet.page(response, HttpServletResponse.SC_OK,
                ConnectivityPages.connectivity(snapshot, null, csrfToken));
    }

    @Override
    public void post(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.equals("/connectivity/start")) {
            ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
            return;
        }
        Optional<String> refused = checks.start();
        if (refused.isPresent()) {
            ConsoleServlet.page(response, HttpServletResponse.SC_CONFLICT,
                    ConnectivityPages.connectivity(checks.snapshot(), refused.get(), csrfToken));
            return;
        }
        ConsoleServlet.redirect(response, "/connectivity");
    }
}
