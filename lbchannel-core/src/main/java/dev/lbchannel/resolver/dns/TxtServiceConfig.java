package dev.lbchannel.resolver.dns;

import dev.lbchannel.config.Json;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a service config from the TXT records of {@code _grpc_config.<host>}, as gRFC A2
 * describes: the one record that starts with {@code grpc_config=} holds a JSON array of choices,
 * and the first choice that applies to this client gives the config. A choice applies when each
 * of its conditions that is present holds: {@code clientLanguage} is empty or lists {@code java}
 * (in any case), {@code percentage} is above this resolver's draw, {@code clientHostname} is empty
 * or lists the local host name exactly.
 *
 * <p>Errors name the record and the problem, and quote at most a short excerpt, never the whole
 * text. Stateless and thread-safe.
 */
final class TxtServiceConfig {

    /** The prefix of the DNS name that holds a host's config. */
    static final String NAME_PREFIX = "_grpc_config.";
    /** The start of the one TXT record that holds the config. */
    static final String ATTRIBUTE = "grpc_config=";
    private static final Set<String> FIELDS = Set.of("clientLanguage", "percentage", "clientHostname", "serviceConfig");
    private static final String LANGUAGE = "java";
    private static final int MAX_EXCERPT = 120;

    /** The outcome: a config, an error, or neither (no record, or no choice applies). */
    record Selection(@Nullable Map<String, ?> serviceConfig, @Nullable Status error) {

        static final Selection NONE = new Selection(null, null);

        static Selection error(String name, String problem) {
            return new Selection(null, Status.UNAVAILABLE.withDescription(
                    "Invalid gRPC config in the TXT record of " + name + ": " + problem));
        }

        /**
         * What a failed TXT lookup means. Many DNS servers refuse or fail TXT questions for names
         * they do not serve, so before any config came from TXT it means no config, as in
         * grpc-java and grpc-go, and the channel uses its default; after one, it is an error, so
         * that the channel keeps that config rather than dropping it over a passing DNS failure.
         */
        static Selection lookupFailed(String name, String why, boolean hadConfig) {
            return hadConfig ? new Selection(null, Status.UNAVAILABLE.withDescription(
                    "The TXT lookup of " + name + " failed: " + why)) : NONE;
        }
    }

    private TxtServiceConfig() {
    }

    /** Whether any record is a gRPC config record, which is when the local host name may matter. */
    static boolean hasConfigRecord(List<String> records) {
        return records.stream().anyMatch(r -> r.startsWith(ATTRIBUTE));
    }

    /**
     * @param name the DNS name the records came from, for messages
     * @param records the TXT records, each with its strings joined
     * @param percentageDraw this resolver's draw, from 0 to 99
     * @param localHostName the local host name, or {@code null} when unknown
     */
    static Selection select(String name, List<String> records, int percentageDraw, @Nullable String localHostName) {
        List<String> configs = records.stream().filter(r -> r.startsWith(ATTRIBUTE)).toList();
        if (configs.isEmpty()) {
            return Selection.NONE;
        }
        if (configs.size() > 1) {
            return Selection.error(name, "found " + configs.size() + " records starting with '" + ATTRIBUTE
                    + "'; there must be one");
        }
        Object choices;
        try {
            choices = Json.parse(configs.get(0).substring(ATTRIBUTE.length()));
        } catch (IllegalArgumentException e) {
            return Selection.error(name, excerpt(String.valueOf(e.getMessage())));
        }
        if (!(choices instanceof List<?> list)) {
            return Selection.error(name, "the value must be a JSON array of choices");
        }
        try {
            for (int i = 0; i < list.size(); i++) {
                validate(list.get(i), i + 1);
            }
            for (Object choice : list) {
                Map<?, ?> fields = (Map<?, ?>) choice;
                if (applies(fields, percentageDraw, localHostName)) {
                    return new Selection(serviceConfig(fields), null);
                }
            }
        } catch (IllegalArgumentException e) {
            return Selection.error(name, String.valueOf(e.getMessage()));
        }
        return Selection.NONE;
    }

    /** Checks one choice's shape; gRFC A2 makes an unknown field an error. */
    private static void validate(@Nullable Object choice, int number) {
        if (!(choice instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("choice " + number + " must be a JSON object");
        }
        for (Object field : fields.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("choice " + number + " has an unknown field '" + excerpt(
                        String.valueOf(field)) + "'; allowed are clientLanguage, percentage, clientHostname, serviceConfig");
            }
        }
        stringList(fields, "clientLanguage", number);
        stringList(fields, "clientHostname", number);
        Object percentage = fields.get("percentage");
        if (fields.containsKey("percentage") && !(percentage instanceof Double d && d >= 0 && d <= 100
                && d == Math.rint(d))) {
            throw new IllegalArgumentException("choice " + number + ": 'percentage' must be a whole number from 0 to 100");
        }
        if (!(fields.get("serviceConfig") instanceof Map)) {
            throw new IllegalArgumentException("choice " + number + ": 'serviceConfig' must be present and a JSON object");
        }
    }

    private static void stringList(Map<?, ?> fields, String field, int number) {
        if (!fields.containsKey(field)) {
            return;
        }
        if (!(fields.get(field) instanceof List<?> values) || !values.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("choice " + number + ": '" + field + "' must be an array of strings");
        }
    }

    private static boolean applies(Map<?, ?> choice, int percentageDraw, @Nullable String localHostName) {
        // gRFC A2: an absent or empty list applies to every client; host names match case-sensitively.
        if (choice.get("clientLanguage") instanceof List<?> languages && !languages.isEmpty()
                && languages.stream().noneMatch(l -> LANGUAGE.equals(((String) l).toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (choice.get("percentage") instanceof Double percentage && percentageDraw >= percentage) {
            return false;
        }
        return !(choice.get("clientHostname") instanceof List<?> hosts) || hosts.isEmpty()
                || (localHostName != null && hosts.contains(localHostName));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> serviceConfig(Map<?, ?> choice) {
        return (Map<String, ?>) choice.get("serviceConfig");
    }

    private static String excerpt(String text) {
        return text.length() <= MAX_EXCERPT ? text : text.substring(0, MAX_EXCERPT) + "...";
    }
}
