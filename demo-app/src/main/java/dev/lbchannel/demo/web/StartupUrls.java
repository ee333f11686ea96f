package dev.lbchannel.demo.web;

import dev.lbchannel.demo.backend.Backends;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs, once the application is ready, the URLs a newcomer should open: the dashboard, a greeting
 * through each channel, the backends and how to stop one, and channelz. Paths follow the
 * configuration (context path, actuator base path, dashboard path).
 */
@Component
class StartupUrls implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log logger = LogFactory.getLog(StartupUrls.class);

    private final Backends backends;

    StartupUrls(Backends backends) {
        this.backends = backends;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String port = environment.getProperty("local.server.port");
        if (port == null) {
            return; // No web server: nothing to open.
        }
        String base = "http://localhost:" + port + environment.getProperty("server.servlet.context-path", "");
        String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        String dashboard = environment.getProperty("lbchannel.dashboard.path", "/lbchannel/dashboard");
        logger.info(String.join(System.lineSeparator(),
                "lbchannel demo is up; backends: " + backends,
                "  Dashboard:       " + base + dashboard,
                "  Say hello:       " + base + "/hello?name=you  (add &channel=pick-first for the other channel)",
                "  Backends:        " + base + "/backends",
                "  Stop backend 1:  curl -X POST " + base + "/backends/1/stop   (and /start to bring it back)",
                "  Channelz:        " + base + actuator + "/channelz"));
    }
}
