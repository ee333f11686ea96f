package dev.lbchannel.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Puts a JMH run's text results ({@code -rf text -rff FILE}) into the {@code jmh} section of
 * BENCHMARKS.md with the machine they ran on, beside issue 4's JMH targets. Entry point:
 * {@code JmhReport RESULTS_FILE REPORT_FILE "JMH ARGUMENTS"}.
 */
public final class JmhReport {

    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: JmhReport RESULTS_FILE REPORT_FILE \"JMH ARGUMENTS\"");
        }
        String results = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        String md = "## JMH: hot paths in isolation\n\n"
                + "Measured " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
                + " on " + MachineInfo.cpu() + ", " + MachineInfo.jvm() + ", unpinned, with `java -jar "
                + "lbchannel-benchmarks/target/benchmarks.jar " + args[2] + "`.\n\n"
                + "Issue 4's targets here: round_robin `pick` ≤ 20 ns and 0 B/op (`gc.alloc.rate.norm`) at 1,000 "
                + "subchannels; `oneEndpointChanged` does O(1) subchannel work: `subchannelsCreated` and "
                + "`subchannelsShutDown` equal `updates` (totals over the measured iterations; "
                + "`firstUpdate` creates one per endpoint; pick_first one, random_subsetting its subset; "
                + "issue 18's subsection below reads them per policy and size), and the benchmark fails otherwise. "
                + "Framing is per message; "
                + "`payloadBytes` is the protobuf payload, the framed message is a few bytes longer.\n\n"
                + "```\n" + results.strip() + "\n```\n";
        ReportSections.replace(Path.of(args[1]), "jmh", md);
    }
}
