package dev.lbchannel.benchmarks.scenario;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws one scenario's PNG with Java2D: p50 and p99 per policy as paired bars on top, and under
 * them, per policy, each one-second bucket's calls split by backend as stacked columns (the share
 * of calls per backend over time), with the scenario's event marked. Needs no display
 * ({@code java.awt.headless}). Stateless.
 */
final class ScenarioChart {

    static final Color[] BACKEND_COLORS = {
            new Color(0x4C78A8), new Color(0x72B7B2), new Color(0x54A24B), new Color(0xE45756), new Color(0xF58518)};
    private static final Color P50 = new Color(0x9ECAE9);
    private static final Color P99 = new Color(0x2C5F8A);
    private static final int WIDTH = 1200;
    private static final int MARGIN = 50;
    private static final int BARS_HEIGHT = 300;
    private static final int CELL_HEIGHT = 170;

    private ScenarioChart() {
    }

    /**
     * @param runs measured runs only (skipped ones have nothing to draw)
     * @param eventSecond where to mark the scenario's event, or a negative number for none
     */
    static void write(String title, List<RunResult> runs, double eventSecond, Path png) throws IOException {
        int rows = (runs.size() + 1) / 2;
        int height = 40 + BARS_HEIGHT + 40 + rows * CELL_HEIGHT + 40;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, MARGIN, 26);
            drawLatencyBars(g, runs, 40);
            int top = 40 + BARS_HEIGHT + 40;
            drawLegend(g, top - 22);
            for (int i = 0; i < runs.size(); i++) {
                int x = i % 2 == 0 ? MARGIN : WIDTH / 2 + 10;
                int y = top + (i / 2) * CELL_HEIGHT;
                drawShares(g, runs.get(i), x, y, WIDTH / 2 - MARGIN - 10, CELL_HEIGHT - 40, eventSecond);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("No PNG writer in this JVM");
        }
    }

    private static void drawLatencyBars(Graphics2D g, List<RunResult> runs, int top) {
        int plotTop = top + 20;
        int plotBottom = top + BARS_HEIGHT - 60;
        int plotLeft = MARGIN + 20;
        int plotWidth = WIDTH - plotLeft - MARGIN;
        double max = runs.stream().mapToDouble(RunResult::p99).filter(v -> !Double.isNaN(v)).max().orElse(1);
        double scale = niceCeiling(max);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            int y = plotBottom - (int) ((plotBottom - plotTop) * i / 4.0);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(plotLeft, y, plotLeft + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            double tick = scale * i / 4;
            g.drawString(tick == Math.rint(tick) ? String.format("%.0f", tick) : String.format("%.1f", tick),
                    MARGIN - 24, y + 4);
        }
        g.drawString("ms (p50 light, p99 dark)", plotLeft, plotTop - 6);
        int slot = runs.isEmpty() ? plotWidth : plotWidth / runs.size();
        int bar = Math.max(4, slot / 4);
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            int x = plotLeft + i * slot + slot / 2 - bar;
            bar(g, x, plotBottom, bar, (plotBottom - plotTop) * safe(r.p50()) / scale, P50, r.p50());
            bar(g, x + bar, plotBottom, bar, (plotBottom - plotTop) * safe(r.p99()) / scale, P99, r.p99());
            g.setColor(Color.BLACK);
            drawWrapped(g, r.run().label(), plotLeft + i * slot + 4, plotBottom + 14, slot - 8);
        }
    }

    private static void bar(Graphics2D g, int x, int bottom, int width, double height, Color color, double value) {
        g.setColor(color);
        g.fillRect(x, bottom - (int) height, width, (int) height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        g.drawString(String.format("%.1f", value), x, bottom - (int) height - 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    }

    private static void drawShares(Graphics2D g, RunResult r, int x, int y, int width, int height, double eventSecond) {
        BackendTimeline t = r.timeline();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        g.drawString(r.run().label() + " — share of calls per backend, 1 s buckets", x, y + 12);
        int plotTop = y + 18;
        if (t == null || t.seconds() == 0) {
            return;
        }
        double column = (double) width / t.seconds();
        for (int s = 0; s < t.seconds(); s++) {
            double bottom = plotTop + height;
            for (int b = 0; b < t.backends(); b++) {
                double h = height * t.share(s, b);
                g.setColor(BACKEND_COLORS[b % BACKEND_COLORS.length]);
                g.fillRect((int) (x + s * column), (int) Math.round(bottom - h), (int) Math.ceil(column) - 1,
                        (int) Math.round(h));
                bottom -= h;
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, plotTop, width, height);
        if (eventSecond >= 0) {
            int ex = (int) (x + eventSecond * column);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
            g.drawLine(ex, plotTop, ex, plotTop + height);
            g.setStroke(new BasicStroke());
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        g.setColor(Color.DARK_GRAY);
        g.drawString("0 s", x, plotTop + height + 11);
        g.drawString(t.seconds() + " s", x + width - 18, plotTop + height + 11);
    }

    private static void drawLegend(Graphics2D g, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int x = MARGIN;
        for (int b = 0; b < BACKEND_COLORS.length; b++) {
            g.setColor(BACKEND_COLORS[b]);
            g.fillRect(x, y - 9, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("backend " + b, x + 16, y + 1);
            x += 100;
        }
        g.drawString("dashed line: the scenario's event", x + 20, y + 1);
    }

    /** Draws {@code text} in lines no wider than {@code width}, breaking at spaces. */
    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        int lineY = y;
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (g.getFontMetrics().stringWidth(candidate) > width && !line.isEmpty()) {
                g.drawString(line.toString(), x, lineY);
                lineY += 13;
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        g.drawString(line.toString(), x, lineY);
    }

    private static double safe(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}: round numbers on the axis. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= v) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
