package dev.lbchannel.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites one generated section of a Markdown file, between {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->}, keeping everything else: hand-written notes survive a rerun, and the
 * load harness and the JMH run each own their section of BENCHMARKS.md. A missing section is
 * appended. Stateless.
 */
public final class ReportSections {

    private ReportSections() {
    }

    public static void replace(Path file, String name, String content) throws IOException {
        String begin = "<!-- " + name + ":begin (generated; edit outside these markers) -->";
        String end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + content + (content.endsWith("\n") ? "" : "\n") + end + "\n";
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# lbchannel benchmarks\n\n";
        int from = existing.indexOf(begin);
        int to = existing.indexOf(end);
        String text;
        if (from >= 0 && to > from) {
            String after = existing.substring(to + end.length());
            text = existing.substring(0, from) + section + (after.startsWith("\n") ? after.substring(1) : after);
        } else {
            text = existing + (existing.endsWith("\n\n") || existing.isEmpty() ? "" : "\n") + section;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
