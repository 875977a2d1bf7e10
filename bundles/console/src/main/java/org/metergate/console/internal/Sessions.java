// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Console sessions, in memory only (a restart logs everyone out). A session ends after {@code idle} without a request
 * or {@code max} after login, whichever comes first. Ids and CSRF tokens are 256 random bits; a login always creates a
 * new id, so an id planted before login is worthless.
 */
final class Sessions {

    static final int MAX_SESSIONS = 16;

    /** One logged-in browser; {@code csrfToken} must accompany each of its state-changing requests. */
    record Session(String id, String csrfToken, Instant created, Instant lastSeen) {
    }

    private final Map<String, Session> sessions = new HashMap<>();
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration max;

    Sessions(Clock clock, SecureRandom random, Duration idle, Duration max) {
        this.clock = clock;
        this.random = random;
        this.idle = idle;
        this.max = max;
    }

    synchronized Session create() {
        expire();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(Session::lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Instant now = clock.instant();
        Session session = new Session(token(), token(), now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its idle time restarted; empty when unknown or expired. */
    synchronized Optional<Session> touch(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.csrfToken(), session.created(), now);
        sessions.put(id, touched);
        return Optional.of(touched);
    }

    synchronized void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    synchronized int active() {
        expire();
        return sessions.size();
    }

    String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void expire() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastSeen().plus(idle)) || !now.isBefore(session.created().plus(max));
    }
}
