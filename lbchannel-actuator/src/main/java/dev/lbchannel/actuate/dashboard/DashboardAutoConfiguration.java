package dev.lbchannel.actuate.dashboard;

import dev.lbchannel.actuate.channelz.ChannelzEndpoint;
import dev.lbchannel.actuate.channelz.ChannelzEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the channelz dashboard at {@code lbchannel.dashboard.path} when the application opts in
 * with {@code lbchannel.dashboard.enabled=true}, is a Spring MVC servlet application, and exposes
 * the {@link ChannelzEndpoint} over HTTP. The page reads channelz where the actuator maps it,
 * honouring {@code management.endpoints.web.base-path} and path mappings.
 *
 * <p>When the actuator has a port of its own ({@code management.server.port}) the page is not
 * served: from the application's port it could read channelz only through CORS, which would open
 * channelz to other origins too. The reason is logged at INFO instead.
 */
@AutoConfiguration(after = {ChannelzEndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, Endpoint.class})
@ConditionalOnBooleanProperty("lbchannel.dashboard.enabled")
@ConditionalOnBean(ChannelzEndpoint.class)
@ConditionalOnAvailableEndpoint(endpoint = ChannelzEndpoint.class, exposure = EndpointExposure.WEB)
@EnableConfigurationProperties(DashboardProperties.class)
public final class DashboardAutoConfiguration {

    private static final EndpointId CHANNELZ = EndpointId.of("channelz");

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnManagementPort(ManagementPortType.SAME)
    @ConditionalOnBean(PathMappedEndpoints.class)
    static class SamePortDashboard {

        @Bean
        DashboardHandlerMapping lbChannelDashboardHandlerMapping(DashboardProperties properties,
                PathMappedEndpoints endpoints) {
            String channelzPath = endpoints.getPath(CHANNELZ);
            if (channelzPath == null) {
                // The conditions above make channelz a web endpoint; this would be a Boot change.
                throw new IllegalStateException("The channelz endpoint has no web path; the dashboard cannot read it");
            }
            return DashboardHandlerMapping.of(properties, channelzPath);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    static class OwnManagementPort {

        @Bean
        DashboardNotServed lbChannelDashboardNotServed() {
            return new DashboardNotServed("the actuator runs on its own port (management.server.port), and a page "
                    + "on the application's port could read channelz there only if CORS opened it to other origins; "
                    + "serve the actuator on the application's port to use the dashboard");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnManagementPort(ManagementPortType.DISABLED)
    static class NoManagementPort {

        @Bean
        DashboardNotServed lbChannelDashboardNotServed() {
            return new DashboardNotServed("the actuator is not served over HTTP (management.server.port=-1), "
                    + "so there is no channelz for the page to read");
        }
    }
}
