package dev.lbchannel.benchmarks.scenario;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 15's goals, judged on one run's results, as Markdown table rows: with one backend 5×
 * slower, least_request and peak_ewma at most half round_robin's p99; in the cold scenario, slow
 * start keeps the whole run's p99 within 1.2× of the p99 before the cold backend arrived; no
 * failed calls outside the failing-backend scenario; and how many runs other processes disturbed.
 * A goal whose policy was skipped says so.
 * Stateless.
 */
final class ScenarioGoals {

    /** How far slow start may let the cold backend lift the run's p99 over the warm baseline. */
    static final double COLD_P99_ALLOWANCE = 1.2;
    /** Other processes' CPU above which a run's latencies say more about the machine than the policy. */
    static final double DISTURBED_ABOVE_CORES = 0.25;

    private ScenarioGoals() {
    }

    static List<String> rows(List<RunResult> results) {
        List<String> rows = new ArrayList<>();
        @Nullable RunResult rr = find(results, Scenario.SLOW, "round_robin");
        for (String policy : List.of("least_request", "peak_ewma")) {
            RunResult r = find(results, Scenario.SLOW, policy);
            String goal = policy + " p99 / round_robin p99, slow backend";
            if (rr == null || r == null) {
                rows.add(row(goal, "not run", "≤ 0.50", "not run (not selected with --scenarios or --policies)"));
            } else if (r.wasSkipped()) {
                rows.add(row(goal, "—", "≤ 0.50", "skipped: " + r.skipped()));
            } else {
                double ratio = r.p99() / rr.p99();
                rows.add(row(goal, String.format("%.2f (%.1f / %.1f ms)", ratio, r.p99(), rr.p99()), "≤ 0.50",
                        ratio <= 0.5 ? "met" : "**not met**"));
            }
        }
        for (RunResult r : results) {
            boolean slowStart = r.run().label().contains("slowStart");
            if (r.scenario() == Scenario.COLD && !slowStart && !r.wasSkipped()
                    && r.run().client() == PolicyRun.Client.LBCHANNEL) {
                rows.add(row(r.run().label() + " without slow start (for comparison): run p99 / p99 before",
                        String.format("%.2f (%.1f / %.1f ms)", r.p99() / r.p99BeforeEvent(), r.p99(), r.p99BeforeEvent()),
                        "—", "—"));
            }
            if (r.scenario() == Scenario.COLD && slowStart) {
                String goal = r.run().label() + ": run p99 / p99 before the cold backend joined";
                if (r.wasSkipped()) {
                    rows.add(row(goal, "—", "≤ " + COLD_P99_ALLOWANCE, "skipped: " + r.skipped()));
                } else {
                    double ratio = r.p99() / r.p99BeforeEvent();
                    rows.add(row(goal, String.format("%.2f (%.1f / %.1f ms)", ratio, r.p99(), r.p99BeforeEvent()),
                            "≤ " + COLD_P99_ALLOWANCE, ratio <= COLD_P99_ALLOWANCE ? "met" : "**not met**"));
                }
            }
        }
        long failures = 0;
        List<String> failing = new ArrayList<>();
        for (RunResult r : results) {
            if (r.scenario() != Scenario.FAILING && r.failures() > 0) {
                failures += r.failures();
                failing.add(r.scenario().id() + "/" + r.run().label());
            }
        }
        rows.add(row("failed calls outside the failing-backend scenario", String.format("%,d", failures), "0",
                failures == 0 ? "met" : "**not met**: " + String.join(", ", failing)));
        List<RunResult> measured = results.stream().filter(r -> !r.wasSkipped()).toList();
        long disturbed = measured.stream().filter(r -> r.othersCores() > DISTURBED_ABOVE_CORES).count();
        rows.add(row("runs during which other processes took more than " + DISTURBED_ABOVE_CORES + " cores",
                disturbed + " of " + measured.size(), "0",
                disturbed == 0 ? "undisturbed" : "**disturbed**: read the verdicts above with that in mind"));
        return rows;
    }

    private static String row(String goal, String measured, String target, String verdict) {
        return "| " + goal + " | " + measured + " | " + target + " | " + verdict + " |";
    }

    private static @Nullable RunResult find(List<RunResult> results, Scenario scenario, String label) {
        for (RunResult r : results) {
            if (r.scenario() == scenario && r.run().label().equals(label)) {
                return r;
            }
        }
        return null;
    }
}
