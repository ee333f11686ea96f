package dev.lbchannel.resolver;

import dev.lbchannel.target.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class ResolverRegistryTests {

    private final ResolverRegistry withDns = ResolverRegistry.builtIns().with(new NamedProvider("dns"));

    @Test
    void registeredSchemeIsTakenAsWritten() {
        Target target = withDns.parseTarget("passthrough:///127.0.0.1:5");
        assertThat(target.scheme()).isEqualTo("passthrough");
        assertThat(withDns.providerFor(target)).isInstanceOf(PassthroughResolverProvider.class);
    }

    @Test
    void targetWithoutRegisteredSchemeFallsBackToDns() {
        assertThat(withDns.parseTarget("orders:8443")).hasToString("dns:///orders:8443");
        assertThat(withDns.parseTarget("127.0.0.1:50051").endpoint()).isEqualTo("127.0.0.1:50051");
        assertThat(withDns.parseTarget("[::1]:443").scheme()).isEqualTo("dns");
    }

    @Test
    void unknownSchemeWithSlashIsAnErrorListingKnownSchemes() {
        assertThatIllegalArgumentException().isThrownBy(() -> withDns.parseTarget("dnss:///orders:443"))
                .withMessage("Unknown scheme 'dnss' in target 'dnss:///orders:443'; known schemes: dns, passthrough, static, unix");
    }

    @Test
    void laterProviderReplacesBuiltInOfSameScheme() {
        NamedProvider mine = new NamedProvider("passthrough");
        ResolverRegistry registry = ResolverRegistry.builtIns().with(mine);
        assertThat(registry.get("passthrough")).isSameAs(mine);
        assertThat(ResolverRegistry.builtIns().get("passthrough")).isNotSameAs(mine);
    }

    @Test
    void fallbackWithoutDnsRegisteredSaysHowToWriteTheTarget() {
        assertThatIllegalArgumentException().isThrownBy(() -> ResolverRegistry.empty()
                        .with(new PassthroughResolverProvider()).parseTarget("orders:1"))
                .withMessageContaining("'orders:1'").withMessageContaining("passthrough");
    }

    private record NamedProvider(String scheme) implements ResolverProvider {
        @Override
        public Resolver newResolver(Target target, ResolverArgs args) {
            throw new UnsupportedOperationException();
        }
    }
}
