package dev.lbchannel.actuate.dashboard;

import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.testing.LoopbackHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over real HTTP with {@code lbchannel.dashboard.enabled=true}: the page and its
 * files are served with a strict Content-Security-Policy and no framing, point at channelz where
 * the actuator maps it, answer reads only, and revalidate cheaply.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "lbchannel.dashboard.enabled=true",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.target=static:///127.0.0.1:1"})
@DirtiesContext
@Timeout(120)
class DashboardPageTests {

    static final String PAGE = "/lbchannel/dashboard";

    @LocalServerPort
    int port;

    @Test
    void pageIsServedAsHtmlWithStrictSecurityHeaders() {
        HttpResponse<String> page = new LoopbackHttp(port).get(PAGE);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).startsWith("text/html").contains("UTF-8");
        assertSecured(page);
        assertThat(header(page, "Cache-Control")).isEqualTo("no-store");
        assertThat(page.body())
                .contains("data-channelz=\"/actuator/channelz\"")
                .contains("data-refresh-ms=\"1000\"")
                .contains("<link rel=\"stylesheet\" href=\"/lbchannel/dashboard/dashboard.css\">")
                .contains("<script type=\"module\" src=\"/lbchannel/dashboard/dashboard.js\"></script>")
                .doesNotContain("{{")
                .doesNotContain("orders")
                .doesNotContain(ActuatorTestApplication.SECRET);
    }

    @Test
    void stylesheetAndScriptsAreServedWithTheirTypes() {
        LoopbackHttp http = new LoopbackHttp(port);
        for (String name : DashboardAsset.NAMES) {
            HttpResponse<String> asset = http.get(PAGE + "/" + name);

            assertThat(asset.statusCode()).as(name).isEqualTo(200);
            assertThat(header(asset, "Content-Type")).as(name)
                    .startsWith(name.endsWith(".css") ? "text/css" : "text/javascript");
            assertThat(asset.body()).as(name).isNotBlank();
            assertSecured(asset);
        }
    }

    @Test
    void unchangedFileIsNotModified() {
        LoopbackHttp http = new LoopbackHttp(port);
        String etag = header(http.get(PAGE + "/dashboard.js"), "ETag");

        HttpResponse<String> again = http.get(PAGE + "/dashboard.js", "If-None-Match", etag);

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void onlyReadsAreAnswered() {
        LoopbackHttp http = new LoopbackHttp(port);
        for (String path : new String[] {PAGE, PAGE + "/dashboard.css"}) {
            HttpResponse<String> post = http.send("POST", path);

            assertThat(post.statusCode()).as(path).isEqualTo(405);
            assertThat(header(post, "Allow")).as(path).isEqualTo("GET, HEAD");
        }
        HttpResponse<String> head = http.send("HEAD", PAGE);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void nothingElseIsServedUnderThePage() {
        LoopbackHttp http = new LoopbackHttp(port);

        assertThat(http.get(PAGE + "/dashboard.html").statusCode()).isEqualTo(404);
        assertThat(http.get("/META-INF/lbchannel/dashboard/dashboard.js").statusCode()).isEqualTo(404);
    }

    @Test
    void scriptsNeverParseServerTextAsMarkup() {
        LoopbackHttp http = new LoopbackHttp(port);
        for (String name : DashboardAsset.NAMES) {
            assertThat(http.get(PAGE + "/" + name).body()).as(name)
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
                    .doesNotContain("http://", "https://");
        }
    }

    static void assertSecured(HttpResponse<String> response) {
        String policy = header(response, "Content-Security-Policy");
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(header(response, "X-Frame-Options")).isEqualTo("DENY");
        assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
    }

    static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse("(no " + name + ")");
    }
}
