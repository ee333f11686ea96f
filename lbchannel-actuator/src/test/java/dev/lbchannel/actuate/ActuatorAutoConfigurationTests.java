package dev.lbchannel.actuate;

import dev.lbchannel.actuate.channelz.ChannelzEndpoint;
import dev.lbchannel.actuate.channelz.ChannelzEndpointAutoConfiguration;
import dev.lbchannel.actuate.health.LbChannelHealthContributorAutoConfiguration;
import dev.lbchannel.actuate.metrics.LbChannelMetricsAutoConfiguration;
import dev.lbchannel.actuate.observation.LbChannelObservationAutoConfiguration;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator's auto-configurations as Spring Boot wires them: each steps back when its library
 * is missing, when the application has no channels, when switched off, or when the application
 * declares its own bean.
 */
@Timeout(60)
class ActuatorAutoConfigurationTests {

    private static final TestBackend BACKEND = TestBackend.plaintext();

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LbChannelAutoConfiguration.class,
                    EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    ChannelzEndpointAutoConfiguration.class, LbChannelHealthContributorAutoConfiguration.class,
                    LbChannelMetricsAutoConfiguration.class, LbChannelObservationAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=channelz",
                    "lbchannel.channels.orders.plaintext=true",
                    "lbchannel.channels.orders.target=static:///127.0.0.1:" + BACKEND.port());

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void everythingIsWiredWhenTheLibrariesAndChannelsArePresent() {
        RUNNER.run(context -> assertThat(context).hasSingleBean(ChannelzEndpoint.class)
                .hasBean("lbchannelHealthContributor").hasBean("lbChannelMetricsCustomizer")
                .hasBean("lbChannelSubchannelMeterBinder").hasBean("lbChannelObservationCustomizer"));
    }

    @Test
    void nothingIsWiredWithoutChannels() {
        RUNNER.withPropertyValues("lbchannel.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(ChannelzEndpoint.class).doesNotHaveBean("lbchannelHealthContributor")
                .doesNotHaveBean("lbChannelMetricsCustomizer").doesNotHaveBean("lbChannelObservationCustomizer"));
    }

    @Test
    void theEndpointNeedsToBeExposed() {
        RUNNER.withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(ChannelzEndpoint.class));
    }

    @Test
    void anApplicationsOwnEndpointWins() {
        RUNNER.withBean("myChannelz", ChannelzEndpoint.class, () -> new ChannelzEndpoint(LbChannels.of(Map.of())))
                .run(context -> assertThat(context).hasSingleBean(ChannelzEndpoint.class).hasBean("myChannelz"));
    }

    @Test
    void healthCanBeSwitchedOffOrReplaced() {
        RUNNER.withPropertyValues("management.health.lbchannel.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("lbchannelHealthContributor"));
        HealthIndicator own = () -> Health.up().build();
        RUNNER.withBean("lbchannelHealthContributor", HealthIndicator.class, () -> own)
                .run(context -> assertThat(context.getBean("lbchannelHealthContributor")).isSameAs(own)
                        .isNotInstanceOf(CompositeHealthContributor.class));
    }

    @Test
    void eachPartStepsBackWhenItsLibraryIsMissing() {
        // Without Micrometer, Boot's own metrics and observation auto-configurations are absent too.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LbChannelAutoConfiguration.class,
                        EndpointAutoConfiguration.class, ChannelzEndpointAutoConfiguration.class,
                        LbChannelMetricsAutoConfiguration.class, LbChannelObservationAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=channelz",
                        "lbchannel.channels.orders.plaintext=true", "lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("lbChannelMetricsCustomizer")
                        .doesNotHaveBean("lbChannelObservationCustomizer").hasSingleBean(ChannelzEndpoint.class));
        RUNNER.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean("lbchannelHealthContributor")
                        .hasSingleBean(ChannelzEndpoint.class));
        RUNNER.withClassLoader(new FilteredClassLoader(ObservationGrpcClientInterceptor.class))
                .run(context -> assertThat(context).doesNotHaveBean("lbChannelObservationCustomizer")
                        .hasBean("lbChannelMetricsCustomizer"));
    }

    @Test
    void bootsObservationSwitchTurnsCallObservationsOff() {
        List<Observation.Context> seen = new CopyOnWriteArrayList<>();
        RUNNER.withPropertyValues("management.observations.enable.grpc.client=false")
                .withBean(ObservationHandler.class, () -> new ObservationHandler<Observation.Context>() {
                    @Override
                    public void onStart(Observation.Context context) {
                        seen.add(context);
                    }

                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return context instanceof GrpcClientObservationContext;
                    }
                })
                .run(context -> {
                    TestServiceGrpc.newBlockingStub(context.getBean(LbChannels.class).get("orders"))
                            .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
                    // An observation starts before its call does, so by now it would have been seen.
                    assertThat(seen).isEmpty();
                });
    }

    @Test
    void anApplicationsObservationConventionNamesEveryCall() {
        List<Observation.Context> seen = new CopyOnWriteArrayList<>();
        ObservationHandler<Observation.Context> recorder = recorder(seen);
        GrpcClientObservationConvention convention = new GrpcClientObservationConvention() {
            @Override
            public String getName() {
                return "orders.rpc";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
                return KeyValues.of("rpc", context.getMethodName());
            }
        };
        RUNNER.withBean(GrpcClientObservationConvention.class, () -> convention)
                .withBean(ObservationHandler.class, () -> recorder)
                .run(context -> {
                    TestServiceGrpc.newBlockingStub(context.getBean(LbChannels.class).get("orders"))
                            .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
                    Await.until("the call's observation stopped", () -> !seen.isEmpty());
                    assertThat(seen.get(0).getName()).isEqualTo("orders.rpc");
                    assertThat(seen.get(0).getLowCardinalityKeyValue("rpc").getValue()).isEqualTo("EmptyCall");
                });
    }

    private static ObservationHandler<Observation.Context> recorder(List<Observation.Context> seen) {
        return new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                seen.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof GrpcClientObservationContext;
            }
        };
    }
}
