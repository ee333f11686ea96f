package dev.lbchannel.eureka;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real Eureka server (Spring Cloud Netflix's, on Tomcat) on a free loopback port, and its REST
 * API for registering and removing instances, as the services' own Eureka clients would. Its
 * read-only response cache is off, so a registration is visible to the next fetch.
 */
final class EurekaRegistry implements AutoCloseable {

    private final ConfigurableApplicationContext server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    EurekaRegistry() {
        server = new SpringApplicationBuilder(Server.class).properties(
                "spring.config.name=none",
                "server.port=0",
                "server.address=127.0.0.1",
                "lbchannel.enabled=false",
                "eureka.client.register-with-eureka=false",
                "eureka.client.fetch-registry=false",
                "eureka.server.use-read-only-response-cache=false",
                "eureka.server.enable-self-preservation=false",
                "eureka.server.wait-time-in-ms-when-sync-empty=0").run();
        port = ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    /** The {@code eureka.client.service-url.defaultZone} of this server. */
    String serviceUrl() {
        return "http://127.0.0.1:" + port + "/eureka/";
    }

    /**
     * Registers instance {@code id} of {@code app} at 127.0.0.1, UP, its gRPC port in metadata
     * {@code grpc.port}, with {@code app} as its VIP address: Spring Cloud's Eureka DiscoveryClient
     * looks service ids up by VIP address, which a Spring Cloud service sets to its application name.
     */
    void register(String app, String id, int grpcPort) {
        String json = """
                {"instance":{"instanceId":"%s","hostName":"127.0.0.1","app":"%s","ipAddr":"127.0.0.1","status":"UP",
                 "vipAddress":"%s","secureVipAddress":"%s",
                 "port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
                 "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
                 "metadata":{"grpc.port":"%d","zone":"zone-a"}}}
                """.formatted(id, app.toUpperCase(), app, app, grpcPort);
        send(HttpRequest.newBuilder(URI.create(serviceUrl() + "apps/" + app.toUpperCase()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), 204);
    }

    private void send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableEurekaServer
    static class Server {
    }
}
