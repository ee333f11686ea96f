package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A service config converted from YAML: the JSON-shaped config gRPC expects, and for each JSON
 * path ({@code methodConfig[0].timeout}) the property it was written as
 * ({@code lbchannel.channels.orders.service-config.method-config[0].timeout}) and its value,
 * so that a validation error can point at the YAML. Immutable.
 */
record ConvertedServiceConfig(Map<String, Object> json, Map<String, Origin> origins, String property) {

    /** Where a JSON path came from. */
    record Origin(String property, @Nullable Object value) {
    }

    /**
     * The origin of {@code jsonPath}, or of its nearest ancestor the YAML has (a required field
     * that is missing has none of its own), with the rest of the path appended in JSON form.
     */
    Origin originOf(String jsonPath) {
        String path = jsonPath;
        while (!path.isEmpty()) {
            Origin origin = origins.get(path);
            if (origin != null) {
                return path.equals(jsonPath) ? origin
                        : new Origin(origin.property() + jsonPath.substring(path.length()), null);
            }
            path = parent(path);
        }
        return new Origin(jsonPath.isEmpty() ? property : property + "." + jsonPath, null);
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
