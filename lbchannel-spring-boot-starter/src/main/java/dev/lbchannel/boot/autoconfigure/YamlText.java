package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A bound value written back as YAML flow text, so that an error shows what the user wrote
 * ({@code { name: [ { service: a.A } ] }}) rather than Spring's flattened form
 * ({@code {name={0={service=a.A}}}}): maps whose keys are list indexes become lists again.
 */
final class YamlText {

    private YamlText() {
    }

    static String flow(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            List<?> elements = ServiceConfigYaml.indexedElements(map);
            if (elements != null) {
                return list(elements);
            }
            if (map.isEmpty()) {
                return "{}";
            }
            StringJoiner out = new StringJoiner(", ", "{ ", " }");
            map.forEach((key, element) -> out.add(key + ": " + flow(element)));
            return out.toString();
        }
        if (value instanceof Collection<?> elements) {
            return list(elements);
        }
        return String.valueOf(value);
    }

    private static String list(Collection<?> elements) {
        if (elements.isEmpty()) {
            return "[]";
        }
        StringJoiner out = new StringJoiner(", ", "[ ", " ]");
        elements.forEach(element -> out.add(flow(element)));
        return out.toString();
    }
}
