package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The method configs of one service config, indexed for the per-call lookup: an exact
 * {@code service/method} entry wins over the service's entry, which wins over the default
 * entry. Immutable and thread-safe; a lookup allocates nothing when an exact entry matches.
 */
final class MethodConfigs {

    static final MethodConfigs NONE = new MethodConfigs(Map.of(), Map.of(), null);

    private final Map<String, MethodConfig> byMethod;
    private final Map<String, MethodConfig> byService;
    private final @Nullable MethodConfig defaultConfig;

    /**
     * @param byMethod keyed by {@code service + "/" + method}
     * @param byService keyed by service name
     */
    MethodConfigs(Map<String, MethodConfig> byMethod, Map<String, MethodConfig> byService,
            @Nullable MethodConfig defaultConfig) {
        this.byMethod = Map.copyOf(byMethod);
        this.byService = Map.copyOf(byService);
        this.defaultConfig = defaultConfig;
    }

    /** The config for {@code pkg.Service/Method}; a leading {@code /} is ignored. */
    MethodConfig lookup(String fullMethodName) {
        String name = fullMethodName.startsWith("/") ? fullMethodName.substring(1) : fullMethodName;
        int slash = name.lastIndexOf('/');
        return lookup(name, byService.isEmpty() ? null : slash < 0 ? name : name.substring(0, slash));
    }

    /**
     * The config for {@code fullMethodName} ({@code pkg.Service/Method}, no leading {@code /}) of
     * {@code serviceName}, which the caller already has (a {@code MethodDescriptor} keeps it), so
     * that the per-call lookup cuts no string.
     */
    MethodConfig lookup(String fullMethodName, @Nullable String serviceName) {
        MethodConfig config = byMethod.get(fullMethodName);
        if (config != null) {
            return config;
        }
        if (serviceName != null && !byService.isEmpty()) {
            config = byService.get(serviceName);
            if (config != null) {
                return config;
            }
        }
        return defaultConfig != null ? defaultConfig : MethodConfig.EMPTY;
    }
}
