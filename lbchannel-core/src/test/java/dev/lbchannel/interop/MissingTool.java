package dev.lbchannel.interop;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when another gRPC stack it runs against is not installed: skips, naming what
 * to install, except when the environment variable {@code CI} is set, where it fails, since CI
 * installs everything ({@code .ci/run}) and a skip there would hide a missing install step.
 */
final class MissingTool {

    private MissingTool() {
    }

    /** Skips or fails the calling test with {@code message}; never returns. */
    static AssertionError report(String message) {
        if (System.getenv("CI") != null) {
            throw new AssertionError(message + " (required because CI is set)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
