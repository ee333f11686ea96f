package dev.lbchannel.actuate;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the actuator tests start: everything auto-configured, plus an interceptor that
 * sends a credential on every call so tests can prove it never leaves through the actuator.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ActuatorTestApplication {

    /** A metadata value that must never appear in channelz, health or metrics. */
    public static final String SECRET = "s3cr3t-bearer-token";

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Bean
    ClientInterceptor credentialInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                    CallOptions options, Channel next) {
                return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<RespT> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, "Bearer " + SECRET);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }
}
