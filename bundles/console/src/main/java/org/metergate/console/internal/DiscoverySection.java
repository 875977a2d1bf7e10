// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.PortInfo;

/**
 * The ports and discovery page: {@code GET /discovery} shows the serial ports, the progress of a running discovery
 * (the page reloads itself every {@value #REFRESH_SECONDS} s while it runs, without script) and the findings;
 * {@code POST /discovery/start} starts one, {@code POST /discovery/accept} configures a found meter.
 */
final class DiscoverySection implements ConsoleSection {

    static final int REFRESH_SECONDS = 2;

    private final Supplier<Discovery> discovery;
    private final Supplier<List<PortInfo>> ports;

    /**
     * @param discovery null while discovery is not available
     * @param ports     the system's serial ports; listed only while no discovery runs, as listing may open them
     */
    DiscoverySection(Supplier<Discovery> discovery, Supplier<List<PortInfo>> ports) {
        this.discovery = discovery;
        this.ports = ports;
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/discovery") || path.startsWith("/discovery/");
    }

    @Override
    public void get(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.equals("/discovery")) {
            ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
            return;
        }
        Discovery d = discovery.get();
        if (d == null) {
            unavailable(response);
            return;
        }
        DiscoveryProgress progress = d.progress();
        if (progress.running()) {
            response.setHeader("Refresh", Integer.toString(REFRESH_SECONDS));
        }
        List<PortInfo> listed = progress.running() ? List.of() : ports.get();
        ConsoleServlet.page(response, HttpServletResponse.SC_OK,
                DiscoveryPages.discovery(progress, listed, "", null, csrfToken));
    }

    @Override
    public void post(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Discovery d = discovery.get();
        if (d == null) {
            unavailable(response);
            return;
        }
        switch (path) {
            case "/discovery/start":
                start(d, csrfToken, request, response);
                return;
            case "/discovery/accept":
                accept(d, csrfToken, request, response);
                return;
            default:
                ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND,
                        Pages.message("Not found", "No such page."));
        }
    }

    private void start(Discovery d, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String typed = request.getParameter("servers") == null ? "" : request.getParameter("servers");
        List<LinkAddress> servers;
        try {
            servers = serialServers(typed);
        } catch (IllegalArgumentException e) {
            again(d, csrfToken, response, HttpServletResponse.SC_BAD_REQUEST, typed, e.getMessage());
            return;
        }
        Optional<String> refused = d.start(servers);
        if (refused.isPresent()) {
            again(d, csrfToken, response, HttpServletResponse.SC_CONFLICT, typed, refused.get());
            return;
        }
        ConsoleServlet.redirect(response, "/discovery");
    }

    private void accept(Discovery d, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String number = request.getParameter("finding");
        try {
            d.accept(Integer.parseInt(number == null ? "" : number.strip()));
        } catch (NumberFormatException e) {
            again(d, csrfToken, response, HttpServletResponse.SC_BAD_REQUEST, "",
                    "The finding number '" + number + "' is not a number.");
            return;
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            again(d, csrfToken, response, HttpServletResponse.SC_CONFLICT, "",
                    "Not configured: " + e.getMessage() + ".");
            return;
        }
        ConsoleServlet.redirect(response, "/discovery");
    }

    private void again(Discovery d, String csrfToken, HttpServletResponse response, int status, String typed,
            String error) throws IOException {
        DiscoveryProgress progress = d.progress();
        List<PortInfo> listed = progress.running() ? List.of() : ports.get();
        ConsoleServlet.page(response, status, DiscoveryPages.discovery(progress, listed, typed, error, csrfToken));
    }

    private static void unavailable(HttpServletResponse response) throws IOException {
        ConsoleServlet.page(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, Pages.message("Ports and discovery",
                "Discovery is not running in this gateway; the log says why."));
    }

    /**
     * The serial servers typed by the technician: {@code host:port} (or a serial device path the port list misses),
     * separated by spaces, commas or lines.
     *
     * @throws IllegalArgumentException naming the first entry that is not an address
     */
    static List<LinkAddress> serialServers(String typed) {
        List<LinkAddress> servers = new ArrayList<>();
        for (String entry : typed.split("[\\s,]+")) {
            if (!entry.isBlank()) {
                servers.add(LinkAddress.parse(entry));
            }
        }
        return servers;
    }
}
