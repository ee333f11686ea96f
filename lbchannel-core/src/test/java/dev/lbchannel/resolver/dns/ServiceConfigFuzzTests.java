package dev.lbchannel.resolver.dns;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.Json;
import dev.lbchannel.config.ServiceConfig;
import io.grpc.Status;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.grpc.internal.JsonParser;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes what a service config goes through when it comes from a DNS TXT record or a property:
 * the JSON parser, against grpc-java's (Gson's reader); the service config's validation; and the
 * TXT record's choice selection (gRFC A2). For any text: where our parser accepts a document,
 * grpc-java's accepts it too and reads the same value (ours is stricter on purpose: it refuses
 * trailing text after the value and nesting deeper than 100, which grpc-java lets through); a
 * parsed object either validates or fails with an {@link IllegalArgumentException} (the message
 * names the field), never another exception; and a TXT record either yields a config, an
 * UNAVAILABLE error naming the record, or nothing.
 *
 * <p>Gson's reader in grpc-java's (default) strictness refuses some valid number literals of many
 * digits, such as {@code 399999999000…0011911458064441540606} (it takes them for unquoted words);
 * where grpc-java refuses what ours accepts, the text is read again by Gson in lenient mode, which
 * must give the same value but for words where ours read the number they spell, so that only that
 * quirk is excused.
 *
 * <p>Runs over the committed inputs in {@code ServiceConfigFuzzTestsInputs} in every build; fuzzes
 * with {@code JAZZER_FUZZ=1} (see {@code lbchannel-core/fuzz.sh}).
 */
class ServiceConfigFuzzTests {

    private static final BalancerRegistry POLICIES = BalancerRegistry.builtIns();
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    @FuzzTest
    void parsesValidatesAndSelects(FuzzedDataProvider data) {
        int percentageDraw = data.consumeInt(0, 99);
        String text = data.consumeRemainingAsString();

        Object ours;
        try {
            ours = Json.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("Invalid JSON at line ");
            ours = Refused.INSTANCE;
        }
        if (ours != Refused.INSTANCE) {
            assertSameAsGrpcJava(ours, text);
        }
        if (ours instanceof Map<?, ?> object) {
            @SuppressWarnings("unchecked")
            Map<String, ?> json = (Map<String, ?>) object;
            try {
                ServiceConfig.parse(json, POLICIES);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }

        TxtServiceConfig.Selection selection = TxtServiceConfig.select("_grpc_config.example.com",
                List.of(TxtServiceConfig.ATTRIBUTE + text), percentageDraw, "host");
        if (selection.error() != null) {
            assertThat(selection.error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(selection.error().getDescription()).contains("_grpc_config.example.com");
        }
    }

    private static void assertSameAsGrpcJava(Object ours, String text) {
        try {
            assertThat(ours).as("grpc-java's reading of %s", text).isEqualTo(JsonParser.parse(text));
            return;
        } catch (IOException | RuntimeException e) {
            try {
                JsonReader lenient = new JsonReader(new StringReader(text));
                lenient.setStrictness(Strictness.LENIENT);
                assertThat(sameValue(ours, read(lenient))).as("Gson's lenient reading of %s", text).isTrue();
            } catch (IOException | RuntimeException again) {
                throw new AssertionError("grpc-java refuses what ours accepts: " + e, e);
            }
        }
    }

    /** Equal, but where Gson read a word, ours may have read the number it spells. */
    private static boolean sameValue(Object ours, Object lenient) {
        if (ours instanceof Map<?, ?> a && lenient instanceof Map<?, ?> b) {
            return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> sameValue(a.get(k), b.get(k)));
        }
        if (ours instanceof List<?> a && lenient instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (ours instanceof Double number && lenient instanceof String word && JSON_NUMBER.matcher(word).matches()) {
            return number.equals(Double.parseDouble(word));
        }
        return java.util.Objects.equals(ours, lenient);
    }

    /** A JSON value as grpc-java's parser shapes it: maps, lists, strings, doubles, booleans, null. */
    private static Object read(JsonReader in) throws IOException {
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                in.beginObject();
                while (in.hasNext()) {
                    object.put(in.nextName(), read(in));
                }
                in.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                List<Object> array = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    array.add(read(in));
                }
                in.endArray();
                return array;
            }
            case NUMBER -> {
                return in.nextDouble();
            }
            case BOOLEAN -> {
                return in.nextBoolean();
            }
            case NULL -> {
                in.nextNull();
                return null;
            }
            default -> {
                return in.nextString();   // a refused number comes as an unquoted word
            }
        }
    }

    /** Marks a document our parser refused. */
    private enum Refused { INSTANCE }
}
