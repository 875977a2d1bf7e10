// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.metergate.console.internal.LiveValues.Point;
import org.metergate.console.internal.LiveValues.Series;

/**
 * One value over the last hour as an inline SVG polyline: time from the left (an hour ago) to the right (now), value
 * from the bottom (lowest in the hour) to the top (highest). Drawn on the server with presentation attributes only,
 * so the page needs neither script nor inline styles.
 */
final class Plot {

    static final int WIDTH = 600;
    static final int HEIGHT = 140;
    private static final int LEFT = 70;
    private static final int TOP = 10;
    private static final int BOTTOM = 20;

    private Plot() {
    }

    static String svg(Series series, Instant now, Duration window) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Point p : series.points()) {
            low = Math.min(low, p.value());
            high = Math.max(high, p.value());
        }
        if (high - low < 1e-9) { // a flat line sits in the middle
            double margin = Math.max(Math.abs(high) * 0.05, 1);
            low -= margin;
            high += margin;
        }
        String name = series.obis() + (series.unit().isEmpty() ? "" : " in " + series.unit());
        StringBuilder svg = new StringBuilder(512 + series.points().size() * 16);
        svg.append("<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(escape(name))
                .append(" over the last hour\"><title>").append(escape(name)).append(" over the last hour</title>");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" x2=\"")
                .append(WIDTH).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"#999\"/>");
        label(svg, 4, TOP + 10, number(high));
        label(svg, 4, HEIGHT - BOTTOM, number(low));
        label(svg, LEFT, HEIGHT - 4, "-" + window.toMinutes() + " min");
        label(svg, WIDTH - 30, HEIGHT - 4, "now");
        svg.append("<polyline class=\"values\" fill=\"none\" stroke=\"#18324a\" stroke-width=\"2\" points=\"");
        String separator = "";
        for (Point p : series.points()) {
            svg.append(separator).append(x(p.at(), now, window)).append(',').append(y(p.value(), low, high));
            separator = " ";
        }
        svg.append("\"/>");
        Point last = series.last();
        svg.append("<circle cx=\"").append(x(last.at(), now, window)).append("\" cy=\"")
                .append(y(last.value(), low, high)).append("\" r=\"3\" fill=\"#18324a\"/></svg>");
        return svg.toString();
    }

    private static String x(Instant at, Instant now, Duration window) {
        double age = Duration.between(at, now).toMillis() / (double) window.toMillis();
        double fraction = 1 - Math.max(0, Math.min(1, age));
        return coordinate(LEFT + fraction * (WIDTH - LEFT - 1));
    }

    private static String y(double value, double low, double high) {
        double fraction = (value - low) / (high - low);
        return coordinate(HEIGHT - BOTTOM - fraction * (HEIGHT - BOTTOM - TOP));
    }

    private static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The value as a technician reads it, without exponent or float noise. */
    static String number(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void label(StringBuilder svg, int x, int y, String text) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"11\" fill=\"#444\">")
                .append(escape(text)).append("</text>");
    }
}
