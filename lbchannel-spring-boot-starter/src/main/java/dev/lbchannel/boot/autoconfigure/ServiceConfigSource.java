package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A channel's service config as configured: the bound YAML form ({@code service-config}) or JSON
 * text ({@code service-config-json}), with the property it came from. Immutable.
 */
record ServiceConfigSource(@Nullable Map<String, Object> yaml, @Nullable String json, String property) {

    static ServiceConfigSource yaml(Map<String, Object> yaml, String property) {
        return new ServiceConfigSource(yaml, null, property);
    }

    static ServiceConfigSource json(String json, String property) {
        return new ServiceConfigSource(null, json, property);
    }
}
