// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.metergate.console.internal.Sessions.Session;

/**
 * The console's pages and the rules around them: only requests that came through the console's own connector are
 * answered; every page but the first-visit setup and the login needs a session; every POST must come from the
 * console's own pages (Origin check, plus a form token before login and the session's CSRF token after it); every
 * response carries headers that forbid framing, scripts, sniffing and caching.
 */
final class ConsoleServlet extends HttpServlet {

    /** Request attribute set by the console connector; requests without it came through another connector. */
    static final String CONNECTOR_ATTRIBUTE = "org.metergate.console.connector";

    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private static final long serialVersionUID = 1L;

    private final transient Credentials credentials;
    private final transient Sessions sessions;
    private final transient LoginThrottle throttle;
    private final transient Supplier<GatewayStatus> status;
    private final transient List<ConsoleSection> sections;
    private final boolean secure;
    private final String sessionCookie;
    private final String formCookie;

    ConsoleServlet(Credentials credentials, Sessions sessions, LoginThrottle throttle, Supplier<GatewayStatus> status,
            boolean secure) {
        this(credentials, sessions, throttle, status, secure, List.of());
    }

    ConsoleServlet(Credentials credentials, Sessions sessions, LoginThrottle throttle, Supplier<GatewayStatus> status,
            boolean secure, List<ConsoleSection> sections) {
        this.credentials = credentials;
        this.sections = List.copyOf(sections);
        this.sessions = sessions;
        this.throttle = throttle;
        this.status = status;
        this.secure = secure;
        // __Host- cookies are refused by browsers unless Secure, Path=/ and host-only: no other site can set them
        this.sessionCookie = secure ? "__Host-mg-session" : "mg-session";
        this.formCookie = secure ? "__Host-mg-form" : "mg-form";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        securityHeaders(response);
        if (request.getAttribute(CONNECTOR_ATTRIBUTE) == null) {
            page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "Nothing here."));
            return;
        }
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if ("GET".equals(method)) {
                get(path, request, response);
            } else if ("POST".equals(method)) {
                if (!sameOrigin(request)) {
                    page(response, HttpServletResponse.SC_FORBIDDEN, Pages.message("Refused",
                            "Cross-site request refused: the console accepts forms only from its own pages."));
                    return;
                }
                post(path, request, response);
            } else {
                response.setHeader("Allow", "GET, POST");
                page(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        Pages.message("Not allowed", method + " is not used by the console."));
            }
        } catch (GeneralSecurityException e) {
            page(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, Pages.message("Error",
                    "The console password store cannot be used: " + e.getMessage()
                            + ". See data/console/ and the log."));
        }
    }

    private void get(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (path) {
            case "/console.css":
                stylesheet(response);
                return;
            case "/setup":
                if (credentials.passwordSet()) {
                    redirect(response, "/login");
                } else {
                    page(response, HttpServletResponse.SC_OK, Pages.setup(formToken(request, response), null));
                }
                return;
            case "/login":
                if (!credentials.passwordSet()) {
                    redirect(response, "/setup");
                } else if (session(request).isPresent()) {
                    redirect(response, "/");
                } else {
                    page(response, HttpServletResponse.SC_OK, Pages.login(formToken(request, response), null));
                }
                return;
            case "/":
            case "/meters":
                Optional<Session> session = session(request);
                if (session.isEmpty()) {
                    redirect(response, credentials.passwordSet() ? "/login" : "/setup");
                    return;
                }
                GatewayStatus now = status.get();
                if ("/meters".equals(path)) {
                    Pages.metersRefresh(now).ifPresent(s -> response.setHeader("Refresh", Integer.toString(s)));
                }
                page(response, HttpServletResponse.SC_OK, "/".equals(path)
                        ? Pages.overview(now, session.get().csrfToken())
                        : Pages.meters(now, session.get().csrfToken()));
                return;
            default:
                Optional<ConsoleSection> section = section(path);
                if (section.isEmpty()) {
                    page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
                    return;
                }
                Optional<Session> loggedIn = session(request);
                if (loggedIn.isEmpty()) {
                    redirect(response, credentials.passwordSet() ? "/login" : "/setup");
                    return;
                }
                section.get().get(path, loggedIn.get().csrfToken(), request, response);
        }
    }

    private void post(String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException, GeneralSecurityException {
        switch (path) {
            case "/setup":
                setup(request, response);
                return;
            case "/login":
                login(request, response);
                return;
            case "/logout":
                logout(request, response);
                return;
            default:
                Optional<ConsoleSection> section = section(path);
                if (section.isEmpty()) {
                    page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found", "No such page."));
                    return;
                }
                Optional<Session> session = session(request);
                if (session.isEmpty() || !equal(request.getParameter("csrf"), session.get().csrfToken())) {
                    refuseForm(response);
                    return;
                }
                section.get().post(path, session.get().csrfToken(), request, response);
        }
    }

    private void setup(HttpServletRequest request, HttpServletResponse response)
            throws IOException, GeneralSecurityException {
        if (!formTokenValid(request)) {
            refuseForm(response);
            return;
        }
        if (credentials.passwordSet()) {
            page(response, HttpServletResponse.SC_CONFLICT, Pages.message("Already set up",
                    "The console password is already set; the setup code works only once. Log in with the "
                            + "password."));
            return;
        }
        if (paused(response)) {
            return;
        }
        char[] password = chars(request.getParameter("password"));
        char[] confirmation = chars(request.getParameter("confirm"));
        try {
            credentials.completeSetup(request.getParameter("code"), password, confirmation);
        } catch (RefusedException e) {
            if (e.wrongSecret()) {
                throttle.failed();
            }
            page(response, e.wrongSecret() ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_BAD_REQUEST,
                    Pages.setup(formToken(request, response), e.getMessage()));
            return;
        } finally {
            PasswordHash.wipe(password);
            PasswordHash.wipe(confirmation);
        }
        throttle.succeeded();
        startSession(request, response);
    }

    private void login(HttpServletRequest request, HttpServletResponse response)
            throws IOException, GeneralSecurityException {
        if (!formTokenValid(request)) {
            refuseForm(response);
            return;
        }
        if (!credentials.passwordSet()) {
            redirect(response, "/setup");
            return;
        }
        if (paused(response)) {
            return;
        }
        char[] password = chars(request.getParameter("password"));
        boolean right;
        try {
            right = credentials.verify(password);
        } finally {
            PasswordHash.wipe(password);
        }
        if (!right) {
            throttle.failed();
            page(response, HttpServletResponse.SC_UNAUTHORIZED,
                    Pages.login(formToken(request, response), "Wrong password."));
            return;
        }
        throttle.succeeded();
        startSession(request, response);
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Session> session = session(request);
        if (session.isEmpty() || !equal(request.getParameter("csrf"), session.get().csrfToken())) {
            refuseForm(response);
            return;
        }
        sessions.end(session.get().id());
        setCookie(response, sessionCookie, "", true);
        redirect(response, "/login");
    }

    private void startSession(HttpServletRequest request, HttpServletResponse response) {
        cookie(request, sessionCookie).ifPresent(sessions::end);
        Session session = sessions.create();
        setCookie(response, sessionCookie, session.id(), false);
        redirect(response, "/");
    }

    /** While the login pause runs, answers 429 with the time to wait and returns true. */
    private boolean paused(HttpServletResponse response) throws IOException {
        Optional<Duration> wait = throttle.waitRemaining();
        if (wait.isEmpty()) {
            return false;
        }
        long seconds = Math.max(1, wait.get().toSeconds() + (wait.get().toNanosPart() > 0 ? 1 : 0));
        response.setHeader("Retry-After", Long.toString(seconds));
        page(response, 429, Pages.message("Too many attempts", "Too many wrong passwords or setup codes. Wait "
                + Text.duration(Duration.ofSeconds(seconds)) + " before the next try."));
        return true;
    }

    private Optional<ConsoleSection> section(String path) {
        return sections.stream().filter(s -> s.handles(path)).findFirst();
    }

    private Optional<Session> session(HttpServletRequest request) {
        return cookie(request, sessionCookie).flatMap(sessions::touch);
    }

    /** The form token from the cookie, or a new one set as cookie: the double-submit guard before login. */
    private String formToken(HttpServletRequest request, HttpServletResponse response) {
        Optional<String> existing = cookie(request, formCookie).filter(t -> t.matches("[A-Za-z0-9_-]{43}"));
        if (existing.isPresent()) {
            return existing.get();
        }
        String token = sessions.token();
        setCookie(response, formCookie, token, false);
        return token;
    }

    private boolean formTokenValid(HttpServletRequest request) {
        Optional<String> cookie = cookie(request, formCookie);
        return cookie.isPresent() && equal(request.getParameter("form"), cookie.get());
    }

    private void refuseForm(HttpServletResponse response) throws IOException {
        page(response, HttpServletResponse.SC_FORBIDDEN, Pages.message("Refused",
                "The form was not sent by this console page or it expired. Open the page again and retry."));
    }

    /** A POST whose Origin (sent by every current browser) is another site is refused outright. */
    private boolean sameOrigin(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !"same-origin".equals(fetchSite) && !"none".equals(fetchSite)) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true; // not a browser, or an old one: the form and CSRF tokens still apply
        }
        if ("null".equals(origin) && "same-origin".equals(fetchSite)) {
            // our Referrer-Policy no-referrer makes browsers send "Origin: null" with their own page's forms
            return true;
        }
        String host = request.getHeader("Host");
        return host != null && origin.equalsIgnoreCase((secure ? "https://" : "http://") + host);
    }

    private void securityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        if (secure) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }

    private void setCookie(HttpServletResponse response, String name, String value, boolean remove) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value)
                .append("; Path=/; HttpOnly; SameSite=Strict");
        if (secure) {
            cookie.append("; Secure");
        }
        if (remove) {
            cookie.append("; Max-Age=0");
        }
        response.addHeader("Set-Cookie", cookie.toString());
    }

    private static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static boolean equal(String a, String b) {
        return a != null && b != null && !a.isEmpty()
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static char[] chars(String value) {
        return value == null ? new char[0] : value.toCharArray();
    }

    static void redirect(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }

    static void page(HttpServletResponse response, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void stylesheet(HttpServletResponse response) throws IOException {
        try (InputStream css = ConsoleServlet.class.getResourceAsStream("console.css")) {
            if (css == null) {
                throw new IOException("console.css is missing from the console bundle");
            }
            byte[] body = css.readAllBytes();
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/css; charset=utf-8");
            response.setHeader("Cache-Control", "max-age=3600");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
