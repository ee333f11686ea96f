package dev.lbchannel.balancer;

import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The registry of policies: the built-ins made on first use and then the same, and what {@link BalancerRegistry#with} adds. */
class BalancerRegistryTests {

    @Test
    void listsTheElevenBuiltInsByNameAndMakesEachOnce() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        assertThat(registry.policyNames()).containsExactly("least_request", "least_request_experimental",
                "outlier_detection", "peak_ewma", "pick_first", "random_subsetting", "random_subsetting_experimental",
                "ring_hash", "ring_hash_experimental", "round_robin", "weighted_round_robin");
        assertThat(registry.get("round_robin")).isSameAs(registry.get("round_robin"))
                .isSameAs(BalancerRegistry.builtIns().require("round_robin"));
        assertThat(registry.providers()).extracting(BalancerProvider::policyName)
                .containsExactlyElementsOf(registry.policyNames());
        assertThat(registry.get("no_such_policy")).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> registry.require("no_such_policy"))
                .withMessageContaining("no_such_policy").withMessageContaining("pick_first");
    }

    @Test
    void anAddedProviderReplacesTheBuiltInOfItsNameAndJoinsTheList() {
        BalancerProvider own = new RoundRobinBalancerProvider();
        BalancerProvider other = new BalancerProvider() {
            @Override
            public String policyName() {
                return "my_policy";
            }

            @Override
            public Balancer newBalancer(BalancerHelper helper) {
                return own.newBalancer(helper);
            }
        };
        BalancerRegistry registry = BalancerRegistry.builtIns().with(own).with(other);
        assertThat(registry.get("round_robin")).isSameAs(own);
        assertThat(registry.get("my_policy")).isSameAs(other);
        assertThat(registry.policyNames()).contains("my_policy", "pick_first").hasSize(12);
        assertThat(BalancerRegistry.builtIns().get("round_robin")).isNotSameAs(own);
        assertThat(BalancerRegistry.builtIns().policyNames()).doesNotContain("my_policy");
    }
}
