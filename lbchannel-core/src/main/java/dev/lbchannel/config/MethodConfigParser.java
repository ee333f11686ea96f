package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the {@code methodConfig} array of a service config into {@link MethodConfigs}, by the
 * rules of service_config.proto's {@code MethodConfig}: each {@code name} entry is unique across
 * the whole config, a {@code method} needs a {@code service}, an entry with neither is the
 * default (so there is at most one), and an entry without names applies to nothing. One
 * instance reads one config; not thread-safe.
 */
final class MethodConfigParser {

    /** The largest value of the schema's {@code UInt32Value} message limits. */
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private final Map<String, MethodConfig> byMethod = new HashMap<>();
    private final Map<String, MethodConfig> byService = new HashMap<>();
    private @Nullable MethodConfig defaultConfig;
    /** Where each name was first seen, keyed like the maps above ("" for the default). */
    private final Map<String, String> methodNamePaths = new HashMap<>();
    private final Map<String, String> serviceNamePaths = new HashMap<>();
    private @Nullable String defaultNamePath;

    static MethodConfigs parse(ConfigNode methodConfigArray) {
        MethodConfigParser parser = new MethodConfigParser();
        for (ConfigNode entry : methodConfigArray.elements()) {
            parser.entry(entry);
        }
        return new MethodConfigs(parser.byMethod, parser.byService, parser.defaultConfig);
    }

    private void entry(ConfigNode entry) {
        entry.asObject();
        MethodConfig config = methodConfig(entry);
        ConfigNode names = entry.field("name");
        if (!names.isPresent()) {
            return; // applies to no method: nothing to index
        }
        for (ConfigNode name : names.elements()) {
            register(name, config);
        }
    }

    private void register(ConfigNode name, MethodConfig config) {
        String service = optionalString(name.field("service"));
        String method = optionalString(name.field("method"));
        if (service.isEmpty() && !method.isEmpty()) {
            throw name.invalid("must name a service when it names a method");
        }
        if (service.isEmpty()) {
            if (defaultNamePath != null) {
                throw name.invalid("duplicates the default name at " + defaultNamePath);
            }
            defaultNamePath = name.path();
            defaultConfig = config;
        } else if (method.isEmpty()) {
            claim(serviceNamePaths, service, name);
            byService.put(service, config);
        } else {
            String key = service + "/" + method;
            claim(methodNamePaths, key, name);
            byMethod.put(key, config);
        }
    }

    private static void claim(Map<String, String> paths, String key, ConfigNode name) {
        String first = paths.putIfAbsent(key, name.path());
        if (first != null) {
            throw name.invalid("duplicates the name at " + first);
        }
    }

    private static MethodConfig methodConfig(ConfigNode entry) {
        ConfigNode timeoutNode = entry.field("timeout");
        Duration timeout = timeoutNode.isPresent() ? timeoutNode.asNonNegativeDuration() : null;
        ConfigNode waitForReadyNode = entry.field("waitForReady");
        Boolean waitForReady = waitForReadyNode.isPresent() ? waitForReadyNode.asBoolean() : null;
        Integer maxRequest = messageSize(entry.field("maxRequestMessageBytes"));
        Integer maxResponse = messageSize(entry.field("maxResponseMessageBytes"));
        ConfigNode retryNode = entry.field("retryPolicy");
        ConfigNode hedgingNode = entry.field("hedgingPolicy");
        if (retryNode.isPresent() && hedgingNode.isPresent()) {
            // service_config.proto: "Only one of retry_policy or hedging_policy may be set."
            throw new InvalidServiceConfigException(entry.path(),
                    "must not set both retryPolicy and hedgingPolicy");
        }
        RetryPolicy retryPolicy = retryNode.isPresent() ? RetryPolicyParser.retryPolicy(retryNode) : null;
        HedgingPolicy hedgingPolicy = hedgingNode.isPresent() ? RetryPolicyParser.hedgingPolicy(hedgingNode) : null;
        return new MethodConfig(timeout, waitForReady, maxRequest, maxResponse, retryPolicy, hedgingPolicy);
    }

    /** A {@code UInt32Value}; values beyond {@code int} are capped, as no message can be larger. */
    private static @Nullable Integer messageSize(ConfigNode node) {
        if (!node.isPresent()) {
            return null;
        }
        long bytes = node.asWholeNumber();
        if (bytes < 0 || bytes > UINT32_MAX) {
            throw node.invalid("must be a whole number from 0 to " + UINT32_MAX);
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    /** proto3 JSON: absent, {@code null} and {@code ""} are the same name part. */
    private static String optionalString(ConfigNode node) {
        return node.isPresent() ? node.asString() : "";
    }
}
