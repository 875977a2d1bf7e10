// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import java.util.Objects;

/**
 * Where a meter's byte link goes: a local serial device ({@code /dev/ttyUSB0}, {@code COM3})
 * or a raw TCP serial server ({@code tcp://host:port} or {@code host:port}).
 */
public final class LinkAddress {

    public enum Kind { SERIAL, TCP }

    private final Kind kind;
    private final String device;
    private final String host;
    private final int port;

    private LinkAddress(Kind kind, String device, String host, int port) {
        this.kind = kind;
        this.device = device;
        this.host = host;
        this.port = port;
    }

    public static LinkAddress serial(String device) {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("serial device name is empty");
        }
        return new LinkAddress(Kind.SERIAL, device.trim(), null, -1);
    }

    public static LinkAddress tcp(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("TCP host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 1..65535");
        }
        return new LinkAddress(Kind.TCP, null, host.trim(), port);
    }

    /**
     * Parses the form a technician types: {@code tcp://host:port}, {@code host:port}, or a device path.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static LinkAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("link address is empty: give a serial port such as /dev/ttyUSB0 or host:port");
        }
        String t = text.trim();
        if (t.startsWith("tcp://")) {
            return parseHostPort(t.substring("tcp://".length()), text);
        }
        if (t.startsWith("/") || t.toUpperCase().startsWith("COM")) {
            return serial(t);
        }
        if (t.contains(":")) {
            return parseHostPort(t, text);
        }
        throw new IllegalArgumentException("link address '" + text
                + "' is neither a serial device path (/dev/...) nor host:port");
    }

    private static LinkAddress parseHostPort(String hostPort, String original) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("link address '" + original + "' needs host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return tcp(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("link address '" + original + "' has a port that is not a number");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Device path for {@link Kind#SERIAL}, otherwise null. */
    public String device() {
        return device;
    }

    /** Host for {@link Kind#TCP}, otherwise null. */
    public String host() {
        return host;
    }

    /** Port for {@link Kind#TCP}, otherwise -1. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkAddress other && kind == other.kind && Objects.equals(device, other.device)
                && Objects.equals(host, other.host) && port == other.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, device, host, port);
    }

    @Override
    public String toString() {
        return kind == Kind.SERIAL ? device : "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
