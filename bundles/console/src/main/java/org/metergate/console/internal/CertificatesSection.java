// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.metergate.api.security.DeviceCommissioning;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;

/**
 * The certificates page: {@code GET /certificates} shows the certificate in use and the installed head-end CA,
 * {@code GET /certificates/request.csr} downloads the PKCS#10 request, {@code POST /certificates/install} installs
 * the signed certificate chain and the head-end CA pasted into the form. The security bundle checks and installs;
 * a refusal is shown with its reason and changes nothing.
 */
final class CertificatesSection implements ConsoleSection {

    static final String REQUEST_PATH = "/certificates/request.csr";
    /** PEM certificates are a few kilobytes; a chain of ten fits easily. */
    static final int MAX_PEM_CHARS = 64 * 1024;

    private final Clock clock;
    private final Supplier<DeviceIdentity> identity;
    private final Supplier<DeviceServerTls> serverTls;
    private final Supplier<DeviceCommissioning> commissioning;

    /** Each supplier returns null while the security bundle does not publish that service. */
    CertificatesSection(Clock clock, Supplier<DeviceIdentity> identity, Supplier<DeviceServerTls> serverTls,
            Supplier<DeviceCommissioning> commissioning) {
        this.clock = clock;
        this.identity = identity;
        this.serverTls = serverTls;
        this.commissioning = commissioning;
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/certificates") || path.startsWith("/certificates/");
    }

    @Override
    public void get(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        switch (path) {
            case "/certificates":
                show(response, HttpServletResponse.SC_OK, csrfToken, null, "", "");
                return;
            case REQUEST_PATH:
                download(response, csrfToken);
                return;
            default:
                ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND,
                        Pages.message("Not found", "No such page."));
        }
    }

    @Override
    public void post(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.equals("/certificates/install")) {
            ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
            return;
        }
        String chain = field(request, "chain");
        String ca = field(request, "ca");
        DeviceCommissioning c = commissioning.get();
        if (c == null) {
            show(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, csrfToken, CertificatePages.NO_IDENTITY, chain,
                    ca);
            return;
        }
        if (chain.isBlank() || ca.isBlank()) {
            show(response, HttpServletResponse.SC_BAD_REQUEST, csrfToken, "Nothing installed: paste "
                    + (chain.isBlank() && ca.isBlank() ? "the signed certificate and the head-end CA certificate"
                            : chain.isBlank() ? "the signed certificate (with any intermediates) as well"
                                    : "the head-end CA certificate as well")
                    + ".", chain, ca);
            return;
        }
        if (chain.length() > MAX_PEM_CHARS || ca.length() > MAX_PEM_CHARS) {
            show(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, csrfToken, "Nothing installed: each "
                    + "field takes at most " + MAX_PEM_CHARS / 1024 + " KiB of PEM text; paste only the "
                    + "certificates.", "", "");
            return;
        }
        try {
            c.install(chain, ca);
        } catch (GeneralSecurityException e) {
            show(response, 422, csrfToken, "Certificate not installed; the gateway keeps the certificate shown "
                    + "below. Reason: " + e.getMessage() + ".", chain, ca);
            return;
        } catch (IOException e) {
            show(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, csrfToken, "Certificate not installed: "
                    + "the keystore could not be written (" + e.getMessage() + "); the gateway keeps the "
                    + "certificate shown below. Check the free space and the log.", chain, ca);
            return;
        }
        ConsoleServlet.redirect(response, "/certificates");
    }

    private void show(HttpServletResponse response, int status, String csrfToken, String error, String chain,
            String ca) throws IOException {
        DeviceServerTls tls = serverTls.get();
        DeviceCommissioning c = commissioning.get();
        ConsoleServlet.page(response, status, CertificatePages.certificates(
                tls == null ? null : tls.serverCertificate(), c, clock.instant(), error, chain, ca, csrfToken));
    }

    private void download(HttpServletResponse response, String csrfToken) throws IOException {
        DeviceCommissioning c = commissioning.get();
        DeviceIdentity id = identity.get();
        if (c == null || id == null) {
            show(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, csrfToken, CertificatePages.NO_IDENTITY, "",
                    "");
            return;
        }
        String pem;
        try {
            pem = c.certificationRequest();
        } catch (GeneralSecurityException e) {
            show(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, csrfToken,
                    "The certification request could not be created: " + e.getMessage() + ".", "", "");
            return;
        }
        byte[] body = pem.getBytes(StandardCharsets.US_ASCII);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/pkcs10");
        // the gateway id is [A-Za-z0-9_-]+, safe in a header without quoting rules
        response.setHeader("Content-Disposition", "attachment; filename=\"" + id.gatewayId() + ".csr\"");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value;
    }
}
