package dev.lbchannel.benchmarks.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class PolicyRunTests {

    @Test
    void aPolicyTheRegistryDoesNotKnowIsSkipped() {
        PolicyRun run = PolicyRun.lbchannel("x", "no_such_policy", "{}");

        assertThat(run.unavailableReason()).contains("does not know 'no_such_policy'");
    }

    @Test
    void aFeatureProbeThePolicyIgnoresMeansTheFeatureIsMissing() {
        PolicyRun run = PolicyRun.lbchannel("x", "least_request", "{}").requiring("{\"noSuchBlock\": \"probe\"}");

        assertThat(run.unavailableReason()).contains("lacks the feature");
    }

    @Test
    void aFeatureProbeThePolicyRejectsMeansItReadsTheBlock() {
        PolicyRun run = PolicyRun.lbchannel("x", "least_request", "{}").requiring("{\"choiceCount\": \"many\"}");

        assertThat(run.unavailableReason()).isNull();
    }

    @Test
    void grpcJavasPoliciesComeFromItsRegistry() {
        assertThat(PolicyRun.grpcJava("x", "round_robin", "{}").unavailableReason()).isNull();
        assertThat(PolicyRun.grpcJava("x", "least_request_experimental", "{}").unavailableReason()).isNull();
        assertThat(PolicyRun.grpcJava("x", "peak_ewma", "{}").unavailableReason()).contains("grpc-java has no");
    }
}
