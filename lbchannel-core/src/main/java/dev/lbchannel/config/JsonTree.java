package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of JSON-shaped trees handed to {@link ServiceConfig#parse}, in the
 * shapes {@link Json#parse} produces: every {@code Number} becomes a {@code Double}, so a config
 * built in code with {@code Integer}s equals the same config read from text. Stateless.
 */
final class JsonTree {

    private JsonTree() {
    }

    static Map<String, Object> copyOf(Map<String, ?> json) {
        return copyObject("", json);
    }

    private static Map<String, Object> copyObject(String path, Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidServiceConfigException(path.isEmpty() ? "(root)" : path,
                        "must have string keys, was " + JsonWriter.typeName(entry.getKey()));
            }
            copy.put(key, copyValue(path.isEmpty() ? key : path + "." + key, entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static @Nullable Object copyValue(String path, @Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidServiceConfigException(path, "must be a finite number, was " + d);
            }
            return d;
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Map<?, ?> map) {
            return copyObject(path, map);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            int i = 0;
            for (Object element : collection) {
                copy.add(copyValue(path + "[" + i++ + "]", element));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new InvalidServiceConfigException(path, "must be a JSON value, was a " + value.getClass().getName());
    }
}
