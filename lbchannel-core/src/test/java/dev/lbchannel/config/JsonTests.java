package dev.lbchannel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class JsonTests {

    @Test
    void readsNestedValuesInTheirJavaShapes() {
        Object value = Json.parse(" {\"a\": [1, 2.5, -3e2, true, false, null, \"x\"], \"b\": {\"c\": {}}, \"d\": []} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1.0, 2.5, -300.0, true, false, null, "x"));
        expected.put("b", Map.of("c", Map.of()));
        expected.put("d", List.of());
        assertThat(value).isEqualTo(expected);
    }

    @Test
    void keepsKeysInDocumentOrderAndIsUnmodifiable() {
        Map<String, ?> object = Json.parseObject("{\"z\": 1, \"a\": 2, \"m\": [3]}");

        assertThat(object.keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> object.remove("z")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) object.get("m");
        assertThatThrownBy(() -> list.add(4.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0              | 0",
            "-0             | -0.0",
            "7              | 7",
            "-12.25         | -12.25",
            "1e3            | 1000",
            "1E+3           | 1000",
            "2.5e-3         | 0.0025",
            "123456789012   | 123456789012",
            "1.7976931348623157e308 | 1.7976931348623157e308",
    })
    void readsNumbersAsDoubles(String json, double expected) {
        assertThat(Json.parse(json)).isEqualTo(expected);
    }

    @Test
    void readsEscapes() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"")).isEqualTo("q\" b\\ s/ \b\f\n\r\t");
        assertThat(Json.parse("\"\\u0041\\u00e9\\u20AC\"")).isEqualTo("Aé€");
        // U+1F600 as a surrogate pair of escapes, and raw (unescaped) non-ASCII text
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"grüße 😀\"")).isEqualTo("grüße 😀");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                    | Invalid JSON at line 1, column 1: unexpected end of input, expected a value",
            "`   `                 | Invalid JSON at line 1, column 4: unexpected end of input, expected a value",
            "`{\"a\" 1}`           | Invalid JSON at line 1, column 6: expected ':' after an object key, found '1'",
            "`{\"a\":1,}`          | Invalid JSON at line 1, column 8: expected a string key, found '}'",
            "`{'a':1}`             | Invalid JSON at line 1, column 2: expected a string key, found '''",
            "`[1,]`                | Invalid JSON at line 1, column 4: unexpected ']', expected a value",
            "`[1 2]`               | Invalid JSON at line 1, column 4: expected ',' or ']' in an array, found '2'",
            "`{\"a\":1 \"b\":2}`   | Invalid JSON at line 1, column 8: expected ',' or '}' in an object, found '\"'",
            "`{\"a\":1}x`          | Invalid JSON at line 1, column 8: unexpected 'x' after the JSON value",
            "`{} {}`               | Invalid JSON at line 1, column 4: unexpected '{' after the JSON value",
            "`{\"a\":1,\"a\":2}`   | Invalid JSON at line 1, column 8: duplicate key \"a\"",
            "`[01]`                | Invalid JSON at line 1, column 3: leading zero in a number",
            "`[+1]`                | Invalid JSON at line 1, column 2: unexpected '+', expected a value",
            "`[.5]`                | Invalid JSON at line 1, column 2: unexpected '.', expected a value",
            "`[1.]`                | Invalid JSON at line 1, column 4: expected a digit after the decimal point, found ']'",
            "`[1e]`                | Invalid JSON at line 1, column 4: expected a digit in the exponent, found ']'",
            "`[-]`                 | Invalid JSON at line 1, column 3: expected a digit, found ']'",
            "`[1e999]`             | Invalid JSON at line 1, column 2: number too large for a double",
            "`[NaN]`               | Invalid JSON at line 1, column 2: unexpected 'N', expected a value",
            "`[tru]`               | Invalid JSON at line 1, column 2: unexpected 't', expected a value",
            "`\"abc`               | Invalid JSON at line 1, column 5: unexpected end of input in a string",
            "`\"a\\x\"`            | Invalid JSON at line 1, column 3: invalid escape '\\x'",
            "`\"\\u12zz\"`         | Invalid JSON at line 1, column 2: invalid unicode escape",
            "`\"\\u12`             | Invalid JSON at line 1, column 2: incomplete unicode escape",
            "`\"\\ud83d\"`         | Invalid JSON at line 1, column 2: unpaired surrogate escape",
            "`\"\\ud83d\\u0041\"`  | Invalid JSON at line 1, column 2: unpaired surrogate escape",
            "`\"\\ude00\"`         | Invalid JSON at line 1, column 2: unpaired surrogate escape",
            "`// c\n{}`            | Invalid JSON at line 1, column 1: unexpected '/', expected a value",
    })
    void rejectsWithThePosition(String json, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(json)).withMessage(message);
    }

    @Test
    void countsLinesAndColumns() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\": tru\n}"))
                .withMessage("Invalid JSON at line 3, column 8: unexpected 't', expected a value");
    }

    @Test
    void rejectsUnescapedControlCharactersWithoutQuotingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"a\tb\""))
                .withMessage("Invalid JSON at line 1, column 3: unescaped character U+0009 in a string");
    }

    @Test
    void refusesDeepNesting() {
        String ok = "[".repeat(100) + "]".repeat(100);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);

        String deep = "[".repeat(101) + "]".repeat(101);
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(deep))
                .withMessage("Invalid JSON at line 1, column 101: nested deeper than 100 levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"s\"", "1", "null"})
    void parseObjectRequiresAnObject(String json) {
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parseObject(json))
                .withMessageStartingWith("Invalid JSON at line 1, column 1: expected an object, was ");
    }

    @Test
    void writesCompactJsonThatReadsBack() {
        String json = "{\"s\":\"q\\\"\\\\\\n\\u0001é\",\"n\":[3,-0.5,0.0001,1E-9,1234567890123456,1E+21],\"b\":true,\"z\":null,\"o\":{}}";
        Object value = Json.parse(json);

        assertThat(Json.write(value)).isEqualTo(json);
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Test
    void writesJavaNumbersAndCollections() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("i", 3);
        map.put("l", 4L);
        map.put("d", 2.0);
        map.put("list", new ArrayList<>(List.of("a")));

        assertThat(Json.write(map)).isEqualTo("{\"i\":3,\"l\":4,\"d\":2,\"list\":[\"a\"]}");
        assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Double.NaN));
        assertThatIllegalArgumentException().isThrownBy(() -> Json.write(new Object()));
    }
}
