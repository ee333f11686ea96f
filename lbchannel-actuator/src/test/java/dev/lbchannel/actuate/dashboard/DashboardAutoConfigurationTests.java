package dev.lbchannel.actuate.dashboard;

import dev.lbchannel.actuate.channelz.ChannelzEndpointAutoConfiguration;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.servlet.DispatcherServlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the dashboard is served: only on request, only in a Spring MVC servlet application that
 * exposes channelz over HTTP on its own port; otherwise it stays away, saying why when it was asked
 * for; bad settings stop start-up naming the property.
 */
@Timeout(60)
class DashboardAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(LbChannelAutoConfiguration.class,
            EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
            ChannelzEndpointAutoConfiguration.class, DashboardAutoConfiguration.class,
            DashboardExposureAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS)
            .withPropertyValues("management.endpoints.web.exposure.include=channelz");

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(DashboardHandlerMapping.class).doesNotHaveBean(DashboardNotServed.class));
    }

    @Test
    void servesThePageAndItsFilesWhenEnabled() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(DashboardHandlerMapping.class);
            assertThat(context.getBean(DashboardHandlerMapping.class).getUrlMap()).containsOnlyKeys(
                    "/lbchannel/dashboard", "/lbchannel/dashboard/dashboard.css", "/lbchannel/dashboard/dashboard.js",
                    "/lbchannel/dashboard/channel-view.js", "/lbchannel/dashboard/rates.js");
        });
    }

    @Test
    void notServedWhenChannelzIsNotExposedOverHttpAndSaysWhichLineExposesIt() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true", "management.endpoints.web.exposure.include=health")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DashboardHandlerMapping.class);
                    assertThat(context.getBean(DashboardNotServed.class).reason())
                            .contains("management.endpoints.web.exposure.include=health,channelz");
                });
    }

    @Test
    void bootsDefaultExposureLeavesTheDashboardOutAndSaysWhy() {
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("lbchannel.dashboard.enabled=true")
                .run(context -> assertThat(context.getBean(DashboardNotServed.class).reason())
                        .contains("not exposed over HTTP"));
    }

    @Test
    void notServedWhenChannelzIsSwitchedOff() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true", "management.endpoint.channelz.access=NONE")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DashboardHandlerMapping.class);
                    assertThat(context.getBean(DashboardNotServed.class).reason()).contains("switched off");
                });
    }

    @Test
    void notServedWithoutSpringMvc() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true")
                .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardHandlerMapping.class));
    }

    @Test
    void notServedOutsideServletWebApplications() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("lbchannel.dashboard.enabled=true", "management.endpoints.web.exposure.include=channelz")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardHandlerMapping.class));
    }

    @Test
    void actuatorOnItsOwnPortLeavesTheDashboardOutAndSaysWhy() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true", "server.port=8080", "management.server.port=9090")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(DashboardHandlerMapping.class).hasSingleBean(DashboardNotServed.class);
                    assertThat(context.getBean(DashboardNotServed.class).reason()).contains("management.server.port");
                });
    }

    @Test
    void actuatorOffHttpLeavesTheDashboardOutAndSaysWhy() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true", "management.server.port=-1")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(DashboardHandlerMapping.class).hasSingleBean(DashboardNotServed.class);
                    assertThat(context.getBean(DashboardNotServed.class).reason()).contains("management.server.port=-1");
                });
    }

    @Test
    void pathThatIsNotPlainStopsStartupNamingTheProperty() {
        for (String path : new String[] {"lbchannel/dashboard", "/lbchannel/dashboard/", "/lb/*", "/lb/../x", "/a b"}) {
            runner.withPropertyValues("lbchannel.dashboard.enabled=true", "lbchannel.dashboard.path=" + path)
                    .run(context -> assertThat(context).getFailure().as(path)
                            .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("lbchannel.dashboard.path"));
        }
    }

    @Test
    void refreshFasterThanTheFloorStopsStartupNamingTheProperty() {
        runner.withPropertyValues("lbchannel.dashboard.enabled=true", "lbchannel.dashboard.refresh-interval=10ms")
                .run(context -> assertThat(context).getFailure()
                        .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("lbchannel.dashboard.refresh-interval"));
    }

    @Test
    void propertiesCarryConfigurationMetadata() throws IOException {
        String all = "";
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            all += resource.getContentAsString(StandardCharsets.UTF_8);
        }
        assertThat(all).contains("\"lbchannel.dashboard.enabled\"", "\"lbchannel.dashboard.path\"",
                "\"lbchannel.dashboard.refresh-interval\"");
    }
}
