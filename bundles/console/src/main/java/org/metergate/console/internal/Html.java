// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

/**
 * Server-rendered pages: one layout, everything that comes from outside (meter errors, ids, readings) escaped. No
 * script anywhere, so the Content-Security-Policy can forbid all of it.
 */
final class Html {

    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '&':
                    out.append("&amp;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    /** A whole page; {@code csrfToken} null = not logged in (no navigation, no log-out button). */
    static String page(String title, String csrfToken, String body) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" - Metergate</title>")
                .append("<link rel=\"stylesheet\" href=\"/console.css\"></head><body><header><strong>Metergate</strong>");
        if (csrfToken != null) {
            html.append("<nav><a href=\"/\">Overview</a> <a href=\"/meters\">Meters</a> ")
                    .append("<a href=\"/discovery\">Ports and discovery</a> ")
                    .append("<a href=\"/connectivity\">Connectivity</a> ")
                    .append("<a href=\"/certificates\">Certificates</a></nav>")
                    .append("<form method=\"post\" action=\"/logout\" class=\"logout\">")
                    .append(hidden("csrf", csrfToken)).append("<button type=\"submit\">Log out</button></form>");
        }
        html.append("</header><main><h1>").append(escape(title)).append("</h1>").append(body)
                .append("</main></body></html>\n");
        return html.toString();
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
    }

    static String error(String message) {
        return message == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(message) + "</p>";
    }
}
