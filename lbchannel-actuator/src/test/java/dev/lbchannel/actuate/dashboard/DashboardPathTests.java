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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A custom {@code lbchannel.dashboard.path} under a context path and a servlet path, with the
 * actuator moved ({@code management.endpoints.web.base-path}) and channelz renamed: the page is
 * where it was configured, and the channelz address it names really answers.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "management.endpoints.web.base-path=/manage",
        "management.endpoints.web.path-mapping.channelz=grpcz",
        "server.servlet.context-path=/shop",
        "spring.mvc.servlet.path=/app",
        "lbchannel.dashboard.enabled=true",
        "lbchannel.dashboard.path=/ops/channels",
        "lbchannel.dashboard.refresh-interval=2500ms",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.target=static:///127.0.0.1:1"})
@DirtiesContext
@Timeout(120)
class DashboardPathTests {

    private static final Pattern CHANNELZ = Pattern.compile("data-channelz=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Test
    void pageAtCustomPathReadsChannelzWhereTheActuatorMapsIt() {
        LoopbackHttp http = new LoopbackHttp(port);

        HttpResponse<String> page = http.get("/shop/app/ops/channels");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-refresh-ms=\"2500\"")
                .contains("href=\"/shop/app/ops/channels/dashboard.css\"")
                .contains("src=\"/shop/app/ops/channels/dashboard.js\"");
        Matcher channelz = CHANNELZ.matcher(page.body());
        assertThat(channelz.find()).isTrue();
        assertThat(channelz.group(1)).isEqualTo("/shop/app/manage/grpcz");
        HttpResponse<String> json = http.get(channelz.group(1), "Accept", "application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.body()).contains("\"name\":\"orders\"");
    }

    @Test
    void filesFollowThePage() {
        LoopbackHttp http = new LoopbackHttp(port);

        assertThat(http.get("/shop/app/ops/channels/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(http.get("/shop/app/ops/channels/rates.js").statusCode()).isEqualTo(200);
    }

    @Test
    void defaultPathIsFree() {
        assertThat(new LoopbackHttp(port).get("/shop/app/lbchannel/dashboard").statusCode()).isEqualTo(404);
    }
}
