package dev.lbchannel.actuate.dashboard;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

import java.util.Locale;

/**
 * Says why the dashboard is not served when it was asked for in a Spring MVC application but
 * channelz is not reachable over HTTP: Boot exposes only {@code health} over the web by default,
 * so without this a user who set {@code lbchannel.dashboard.enabled=true} meets a bare 404.
 * Applies only when {@link DashboardAutoConfiguration} made neither the page nor its own reason.
 */
@AutoConfiguration(after = DashboardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, Endpoint.class})
@ConditionalOnBooleanProperty("lbchannel.dashboard.enabled")
@ConditionalOnMissingBean({DashboardHandlerMapping.class, DashboardNotServed.class})
public final class DashboardExposureAutoConfiguration {

    @Bean
    DashboardNotServed lbChannelDashboardNotExposed(Environment environment) {
        String access = environment.getProperty("management.endpoint.channelz.access", "");
        if (access.toLowerCase(Locale.ROOT).equals("none")) {
            return new DashboardNotServed("the channelz endpoint is switched off (management.endpoint.channelz.access=none),"
                    + " so there is no channelz for the page to read; set it to read-only or unrestricted");
        }
        return new DashboardNotServed("the channelz endpoint is not exposed over HTTP, so the page has nothing to read;"
                + " add it to the web exposure: management.endpoints.web.exposure.include=health,channelz");
    }
}
