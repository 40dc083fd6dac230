package org.openfinq.bench;

import java.util.List;
import java.util.Locale;

/** A small SVG of P1: throughput and p99 per concurrency, openfinq beside the limit server. */
final class Chart {

    private Chart() {
    }

    record Point(int concurrency, LoadGenerator.Result openfinq, LoadGenerator.Result limit) {
    }

    static final String OPENFINQ = "#2a6fdb";
    static final String LIMIT = "#9aa5b1";

    static String svg(List<Point> points, String subtitle) {
        int w = 720;
        int h = 300;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(w / 2.0, 20, "middle", 14, "P1 signed cached read (/v1s/transactions/get): openfinq vs the limit server"));
        s.append(text(w / 2.0, 38, "middle", 11, subtitle));
        panel(s, points, 40, "throughput (req/s, higher is better)", true);
        panel(s, points, 390, "p99 latency (ms, lower is better)", false);
        s.append("<rect x=\"250\" y=\"278\" width=\"12\" height=\"12\" fill=\"").append(OPENFINQ).append("\"/>");
        s.append(text(268, 288, "start", 12, "openfinq"));
        s.append("<rect x=\"360\" y=\"278\" width=\"12\" height=\"12\" fill=\"").append(LIMIT).append("\"/>");
        s.append(text(378, 288, "start", 12, "limit server"));
        return s.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder s, List<Point> points, int x0, String title, boolean throughput) {
        int top = 70;
        int height = 170;
        int width = 290;
        double max = 0;
        for (Point p : points) {
            max = Math.max(max, Math.max(value(p.openfinq(), throughput), value(p.limit(), throughput)));
        }
        max = max <= 0 ? 1 : max * 1.15;
        s.append(text(x0 + width / 2.0, top - 12, "middle", 12, title));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", x0, top + height, x0 + width, top + height));
        double group = width / (double) points.size();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double gx = x0 + i * group + group * 0.15;
            double bar = group * 0.33;
            bar(s, gx, bar, value(p.openfinq(), throughput), max, top, height, OPENFINQ);
            bar(s, gx + bar + 4, bar, value(p.limit(), throughput), max, top, height, LIMIT);
            s.append(text(x0 + i * group + group / 2, top + height + 16, "middle", 12, "c=" + p.concurrency()));
        }
    }

    private static double value(LoadGenerator.Result r, boolean throughput) {
        return throughput ? r.requestsPerSecond() : r.p99Ms();
    }

    private static void bar(StringBuilder s, double x, double width, double v, double max, int top, int height, String color) {
        double bh = height * v / max;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, top + height - bh, width, bh, color));
        s.append(text(x + width / 2, top + height - bh - 4, "middle", 11, v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v)));
    }

    private static String text(double x, double y, String anchor, int size, String t) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n", x, y, anchor, size,
                t.replace("&", "&amp;").replace("<", "&lt;"));
    }
}
