package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.boot.LbChannels;
import io.grpc.ManagedChannel;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import java.util.Map;

/**
 * The Spring Boot cold-start child JVM: starts a Spring Boot application whose one gRPC channel,
 * {@code backend}, comes from configuration, makes one unary call on it, and prints the same
 * {@code RESULT} line as {@link ColdStartProbe}. The first argument picks the client: lbchannel's
 * starter ({@code lbchannel.channels.backend}), or Spring Boot's own gRPC client
 * ({@code spring.grpc.client.channel.backend}, grpc-java underneath); each application excludes
 * the other's auto-configuration, so both start the same Boot with the same class path.
 */
public final class BootColdStartProbe {

    static final String LBCHANNEL = "lbchannel-boot";
    static final String GRPC_JAVA = "grpc-java-boot";

    private BootColdStartProbe() {
    }

    /** lbchannel's starter; Boot's gRPC client auto-configuration is left out. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.grpc.client.autoconfigure.CompositeChannelFactoryAutoConfiguration",
        "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
        "org.springframework.boot.grpc.client.autoconfigure.GrpcClientObservationAutoConfiguration"})
    static class LbChannelApplication {
    }

    /** Spring Boot's gRPC client; lbchannel's auto-configurations are left out. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = {
        "dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration",
        "dev.lbchannel.boot.autoconfigure.LbChannelRefreshAutoConfiguration",
        "dev.lbchannel.boot.autoconfigure.kubernetes.LbChannelKubernetesAutoConfiguration",
        "dev.lbchannel.boot.autoconfigure.discovery.LbChannelDiscoveryAutoConfiguration",
        "dev.lbchannel.boot.autoconfigure.etcd.LbChannelEtcdAutoConfiguration",
        "dev.lbchannel.boot.autoconfigure.dns.LbChannelDnsAutoConfiguration"})
    static class GrpcJavaApplication {
    }

    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        String client = args[0];
        String target = "127.0.0.1:" + Integer.parseInt(args[1]);
        boolean lbchannel = switch (client) {
            case LBCHANNEL -> true;
            case GRPC_JAVA -> false;
            default -> throw new IllegalArgumentException("Unknown client '" + client + "'; known: "
                    + LBCHANNEL + ", " + GRPC_JAVA);
        };
        SpringApplication application = new SpringApplication(
                lbchannel ? LbChannelApplication.class : GrpcJavaApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(lbchannel
                ? Map.of("lbchannel.channels.backend.target", target, "lbchannel.channels.backend.plaintext", "true")
                : Map.of("spring.grpc.client.channel.backend.target", target,
                        "spring.grpc.client.channel.backend.ssl.enabled", "false"));
        ConfigurableApplicationContext context = application.run();
        ManagedChannel channel = lbchannel ? context.getBean(LbChannels.class).get("backend")
                : context.getBean(GrpcChannelFactory.class).createChannel("backend");
        ColdStartProbe.callAndReport(channel, mainMillis);
    }
}
