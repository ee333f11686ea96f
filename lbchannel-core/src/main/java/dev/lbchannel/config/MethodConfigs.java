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
        MethodConfig config = byMethod.get(name);
        if (config != null) {
            return config;
        }
        if (!byService.isEmpty()) {
            int slash = name.lastIndexOf('/');
            config = byService.get(slash < 0 ? name : name.substring(0, slash));
            if (config != null) {
                return config;
            }
        }
        return defaultConfig != null ? defaultConfig : MethodConfig.EMPTY;
    }
}
