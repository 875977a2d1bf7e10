// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Pages for a logged-in technician that live in their own class. {@link ConsoleServlet} routes to a section only
 * after checking the session, and a POST only after the same-origin rule and the session's CSRF token; the security
 * headers are already set.
 */
interface ConsoleSection {

    /** Whether the section serves this path (e.g. {@code /discovery} and below). */
    boolean handles(String path);

    /** @param csrfToken the session's token, for the page layout and the section's forms */
    void get(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException;

    void post(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException;
}
