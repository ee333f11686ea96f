package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.dns.TxtServiceConfig.Selection;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TxtServiceConfigTests {

    private static final String NAME = "_grpc_config.svc.test";

    @Test
    void noConfigRecordMeansNoConfig() {
        assertThat(select(List.of("v=spf1 -all", "other"), 0, "me")).isEqualTo(Selection.NONE);
        assertThat(select(List.of(), 0, "me")).isEqualTo(Selection.NONE);
    }

    @Test
    void firstApplyingChoiceWins() {
        String record = "grpc_config=[{\"clientLanguage\":[\"go\",\"c++\"],\"serviceConfig\":{\"n\":1}},"
                + "{\"clientLanguage\":[\"Java\"],\"serviceConfig\":{\"n\":2}},{\"serviceConfig\":{\"n\":3}}]";

        assertThat(select(List.of("unrelated", record), 0, "me").serviceConfig()).isEqualTo(Map.of("n", 2.0));
    }

    @Test
    void percentageIsComparedWithTheDraw() {
        String record = "grpc_config=[{\"percentage\":40,\"serviceConfig\":{\"n\":1}},{\"serviceConfig\":{\"n\":2}}]";

        assertThat(select(List.of(record), 39, null).serviceConfig()).isEqualTo(Map.of("n", 1.0));
        assertThat(select(List.of(record), 40, null).serviceConfig()).isEqualTo(Map.of("n", 2.0));
        assertThat(select(List.of("grpc_config=[{\"percentage\":0,\"serviceConfig\":{}}]"), 0, null))
                .isEqualTo(Selection.NONE);
        assertThat(select(List.of("grpc_config=[{\"percentage\":100,\"serviceConfig\":{}}]"), 99, null).serviceConfig())
                .isEqualTo(Map.of());
    }

    @Test
    void clientHostnameMustListTheLocalHostExactly() {
        String record = "grpc_config=[{\"clientHostname\":[\"other\"],\"serviceConfig\":{\"n\":1}},"
                + "{\"clientHostname\":[\"a\",\"me\"],\"serviceConfig\":{\"n\":2}}]";

        assertThat(select(List.of(record), 0, "me").serviceConfig()).isEqualTo(Map.of("n", 2.0));
        assertThat(select(List.of(record), 0, "Me")).as("gRFC A2: case-sensitive").isEqualTo(Selection.NONE);
        assertThat(select(List.of(record), 0, null)).as("host name unknown").isEqualTo(Selection.NONE);
    }

    @Test
    void emptyLanguageAndHostnameListsApplyToEveryClient() {
        String record = "grpc_config=[{\"clientLanguage\":[],\"clientHostname\":[],\"serviceConfig\":{\"n\":3}}]";
        assertThat(select(List.of(record), 0, null).serviceConfig()).isEqualTo(Map.of("n", 3.0));
    }

    @Test
    void noApplyingChoiceMeansNoConfig() {
        assertThat(select(List.of("grpc_config=[{\"clientLanguage\":[\"go\"],\"serviceConfig\":{}}]"), 0, "me"))
                .isEqualTo(Selection.NONE);
        assertThat(select(List.of("grpc_config=[]"), 0, "me")).isEqualTo(Selection.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "grpc_config={\"serviceConfig\":{}}                            | must be a JSON array of choices",
        "grpc_config=[{\"serviceConfig\":{}},                          | Invalid JSON at line 1",
        "grpc_config=[1]                                               | choice 1 must be a JSON object",
        "grpc_config=[{\"serviceConfig\":{}},{\"colour\":1}]           | choice 2 has an unknown field 'colour'",
        "grpc_config=[{\"percentage\":101,\"serviceConfig\":{}}]       | 'percentage' must be a whole number from 0 to 100",
        "grpc_config=[{\"percentage\":2.5,\"serviceConfig\":{}}]       | 'percentage' must be a whole number from 0 to 100",
        "grpc_config=[{\"percentage\":\"5\",\"serviceConfig\":{}}]     | 'percentage' must be a whole number from 0 to 100",
        "grpc_config=[{\"clientLanguage\":\"java\",\"serviceConfig\":{}}] | 'clientLanguage' must be an array of strings",
        "grpc_config=[{\"clientHostname\":[1],\"serviceConfig\":{}}]   | 'clientHostname' must be an array of strings",
        "grpc_config=[{\"clientLanguage\":[\"java\"]}]                 | 'serviceConfig' must be present and a JSON object",
        "grpc_config=[{\"serviceConfig\":[]}]                          | 'serviceConfig' must be present and a JSON object",
    })
    void malformedConfigIsAnUnavailableErrorNamingTheProblem(String record, String problem) {
        Selection selection = select(List.of(record), 0, "me");

        assertThat(selection.serviceConfig()).isNull();
        assertThat(selection.error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(selection.error().getDescription())
                .startsWith("Invalid gRPC config in the TXT record of " + NAME + ": ")
                .contains(problem);
    }

    @Test
    void laterInvalidChoiceSpoilsTheRecordEvenWhenAnEarlierOneApplies() {
        Selection selection = select(List.of("grpc_config=[{\"serviceConfig\":{}},{\"percentage\":-1,\"serviceConfig\":{}}]"),
                0, "me");

        assertThat(selection.error().getDescription()).contains("choice 2");
    }

    @Test
    void twoConfigRecordsAreAnError() {
        Selection selection = select(List.of("grpc_config=[]", "grpc_config=[]"), 0, "me");

        assertThat(selection.error().getDescription()).contains("found 2 records starting with 'grpc_config='");
    }

    @Test
    void errorNeverQuotesTheWholeRecord() {
        String secretish = "x".repeat(500);
        Selection selection = select(List.of("grpc_config=[{\"serviceConfig\":{\"" + secretish + "\":1}},{\"" + secretish
                + "\":1}]"), 0, "me");

        assertThat(selection.error().getDescription()).doesNotContain(secretish).hasSizeLessThan(400);
    }

    private static Selection select(List<String> records, int draw, String hostName) {
        return TxtServiceConfig.select(NAME, records, draw, hostName);
    }

    @Test
    void aFailedLookupIsNoConfigUntilAConfigCameFromTxtAndThenAnError() {
        assertThat(Selection.lookupFailed("_grpc_config.orders", "REFUSED", false)).isEqualTo(Selection.NONE);

        Selection afterConfig = Selection.lookupFailed("_grpc_config.orders", "REFUSED", true);

        assertThat(afterConfig.serviceConfig()).isNull();
        assertThat(afterConfig.error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(afterConfig.error().getDescription())
                .isEqualTo("The TXT lookup of _grpc_config.orders failed: REFUSED");
    }
}
