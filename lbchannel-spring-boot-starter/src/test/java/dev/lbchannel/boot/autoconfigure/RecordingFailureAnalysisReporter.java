package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the failure analysis Spring Boot reports when an application fails to start, so a test
 * can read exactly what the user would see. Registered in the tests' {@code META-INF/spring.factories}.
 */
public final class RecordingFailureAnalysisReporter implements FailureAnalysisReporter {

    private static final AtomicReference<@Nullable FailureAnalysis> LAST = new AtomicReference<>();

    @Override
    public void report(FailureAnalysis analysis) {
        LAST.set(analysis);
    }

    static @Nullable FailureAnalysis takeLast() {
        return LAST.getAndSet(null);
    }
}
