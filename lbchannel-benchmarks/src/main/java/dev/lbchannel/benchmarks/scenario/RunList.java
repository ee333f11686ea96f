package dev.lbchannel.benchmarks.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Which policies run in which scenario, each as a name and the JSON config it would have in a
 * service config. Every scenario runs the common contestants; the cold scenario adds the slow
 * start variants (its window matched to the cold backend's warm-up), the failing one adds
 * outlier_detection over round_robin. Policies another branch is still adding ({@code peak_ewma},
 * {@code slowStartConfig}) are listed here already and skipped, with a note, by
 * {@link PolicyRun#unavailableReason()} until the channel's registry has them. Stateless.
 */
final class RunList {

    /** A slow start config must be rejected in this form by a policy that reads the block. */
    private static final String SLOW_START_PROBE = "{\"slowStartConfig\": \"probe\"}";
    /** A 1 s blackout instead of the default 10 s, so weights count within a run of seconds. */
    private static final String WRR_FIELDS = "\"blackoutPeriod\": \"1s\", \"weightUpdatePeriod\": \"0.5s\"";

    private RunList() {
    }

    static List<PolicyRun> forScenario(Scenario scenario, Scenario.Timing timing) {
        List<PolicyRun> runs = new ArrayList<>(List.of(
                PolicyRun.lbchannel("round_robin", "round_robin", "{}"),
                PolicyRun.lbchannel("least_request", "least_request", "{\"choiceCount\": 2}"),
                PolicyRun.lbchannel("weighted_round_robin", "weighted_round_robin", "{" + WRR_FIELDS + "}"),
                PolicyRun.lbchannel("peak_ewma", "peak_ewma", "{}")));
        if (scenario == Scenario.COLD) {
            // Envoy's defaults (a straight line from 10 %) over twice the cold backend's warm-up:
            // a window sized with margin, since an operator knows the warm-up only roughly. Over
            // exactly the warm-up, a backend still twice as slow at the window's middle gets half
            // its share then (least_request's p99 came out 1.25x its p99 before the event).
            String slowStart = "\"slowStartConfig\": {\"slowStartWindow\": \"" + 2 * timing.warmupWindowMillis() / 1000.0
                    + "s\", \"aggression\": 1.0, \"minWeightPercent\": 10.0}";
            runs.add(PolicyRun.lbchannel("round_robin + slowStartConfig", "round_robin", "{" + slowStart + "}")
                    .requiring(SLOW_START_PROBE));
            runs.add(PolicyRun.lbchannel("least_request + slowStartConfig", "least_request",
                    "{\"choiceCount\": 2, " + slowStart + "}").requiring(SLOW_START_PROBE));
            runs.add(PolicyRun.lbchannel("weighted_round_robin + slowStartConfig", "weighted_round_robin",
                    "{" + WRR_FIELDS + ", " + slowStart + "}")
                    .requiring(SLOW_START_PROBE));
        }
        if (scenario == Scenario.FAILING) {
            // A50's defaults would wait 10 s and need 5 hosts; this ejects within a second or two.
            runs.add(PolicyRun.lbchannel("outlier_detection(round_robin)", "outlier_detection",
                    "{\"interval\": \"1s\", \"baseEjectionTime\": \"30s\", \"maxEjectionPercent\": 25, "
                            + "\"failurePercentageEjection\": {\"threshold\": 50, \"minimumHosts\": 4, "
                            + "\"requestVolume\": 20}, \"childPolicy\": [{\"round_robin\": {}}]}"));
        }
        runs.add(PolicyRun.grpcJava("grpc-java round_robin", "round_robin", "{}"));
        runs.add(PolicyRun.grpcJava("grpc-java least_request_experimental", "least_request_experimental",
                "{\"choiceCount\": 2}"));
        return runs;
    }
}
