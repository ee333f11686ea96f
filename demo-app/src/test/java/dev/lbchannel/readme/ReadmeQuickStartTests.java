package dev.lbchannel.readme;

import dev.lbchannel.demo.v1.GreeterGrpc;
import dev.lbchannel.demo.v1.HelloReply;
import dev.lbchannel.demo.v1.HelloRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring Boot quick start as a user copies it: its YAML block, read from README.md
 * itself, is the application's only configuration file, and {@link App} and {@link Greetings} are
 * its Java as written. Only what the README leaves to the reader is given: where
 * {@code greeter.internal} is (a TLS greeter on loopback) and the {@code greeter-client} SSL
 * bundle that trusts it.
 */
@Timeout(60)
class ReadmeQuickStartTests {

    @Test
    void theQuickStartStartsAndAnswersOverTls(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("application.yml"), quickStartYaml(), StandardCharsets.UTF_8);
        X509Bundle ca = new CertificateBuilder().subject("CN=quick start CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        X509Bundle serverCert = new CertificateBuilder().subject("CN=greeter.internal").addSanDnsName("greeter.internal")
                .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM(), StandardCharsets.US_ASCII);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(serverCert.toKeyManagerFactory()))
                        .build())
                .addService(new Greeter()).build().start();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).run(
                "--spring.config.location=file:" + yaml,
                "--spring.main.web-application-type=none",
                // what the README leaves to its reader: where the name is, and the bundle's trust
                "--lbchannel.channels.greeter.target=static:///127.0.0.1:" + server.getPort(),
                "--spring.ssl.bundle.pem.greeter-client.truststore.certificate=file:" + caFile)) {
            assertThat(context.getBean(Greetings.class).hello("README")).isEqualTo("Hello README");
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The YAML block of the README's "Quick start (Spring Boot)" section. */
    private static String quickStartYaml() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## Quick start (Spring Boot)");
        assertThat(section).as("the README's quick start section").isNotNegative();
        Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(yaml.find(section)).as("a YAML block in the quick start").isTrue();
        assertThat(yaml.group(1)).contains("greeter");
        return yaml.group(1);
    }

    private static final class Greeter extends GreeterGrpc.GreeterImplBase {
        @Override
        public void sayHello(HelloRequest request, StreamObserver<HelloReply> responses) {
            responses.onNext(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
            responses.onCompleted();
        }
    }
}
