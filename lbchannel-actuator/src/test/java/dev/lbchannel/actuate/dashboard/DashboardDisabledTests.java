package dev.lbchannel.actuate.dashboard;

import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.testing.LoopbackHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code lbchannel.dashboard.enabled} the page and its files do not exist, while channelz does. */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.target=static:///127.0.0.1:1"})
@DirtiesContext
@Timeout(120)
class DashboardDisabledTests {

    @LocalServerPort
    int port;

    @Test
    void dashboardIsOffByDefault() {
        LoopbackHttp http = new LoopbackHttp(port);

        assertThat(http.get("/lbchannel/dashboard").statusCode()).isEqualTo(404);
        assertThat(http.get("/lbchannel/dashboard/dashboard.js").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/channelz").statusCode()).isEqualTo(200);
    }
}
