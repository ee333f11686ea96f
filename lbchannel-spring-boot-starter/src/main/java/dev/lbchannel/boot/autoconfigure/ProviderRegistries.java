package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds an application context's registries: the built-in resolvers and balancers, then every
 * {@link ResolverProvider} and {@link BalancerProvider} bean, a bean replacing the built-in of
 * the same scheme or policy name. Two beans claiming one name are an error rather than a silent
 * choice. The registries are immutable and belong to the context; nothing is registered
 * JVM-globally. Stateless.
 */
final class ProviderRegistries {

    private ProviderRegistries() {
    }

    static ResolverRegistry resolvers(List<ResolverProvider> beans) {
        ResolverRegistry registry = ResolverRegistry.builtIns();
        for (ResolverProvider provider : unique(beans, ResolverProvider::scheme, "ResolverProvider", "scheme")) {
            registry = registry.with(provider);
        }
        return registry;
    }

    static BalancerRegistry balancers(List<BalancerProvider> beans) {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        for (BalancerProvider provider : unique(beans, BalancerProvider::policyName, "BalancerProvider", "policy")) {
            registry = registry.with(provider);
        }
        return registry;
    }

    private static <T> Iterable<T> unique(List<T> beans, Function<T, String> key, String type, String what) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (T bean : beans) {
            String name = key.apply(bean);
            if (name == null || name.isEmpty()) {
                throw new IllegalStateException(type + " bean " + bean.getClass().getName() + " has no " + what);
            }
            T earlier = byKey.putIfAbsent(name, bean);
            if (earlier != null) {
                throw new IllegalStateException("Two " + type + " beans claim the " + what + " '" + name + "': "
                        + earlier.getClass().getName() + " and " + bean.getClass().getName()
                        + "; keep one of them, or give one another " + what);
            }
        }
        return byKey.values();
    }
}
