package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.balancer.ringhash.RingHash;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code samples/ring-hash.yml}: a customer's calls stay on one backend, by header or by call option. */
@Timeout(120)
class RingHashSampleTests {

    private static final Metadata.Key<String> CUSTOMER =
            Metadata.Key.of("x-customer-id", Metadata.ASCII_STRING_MARSHALLER);

    private final List<TestBackend> backends = new ArrayList<>();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void aCustomersCallsStayOnOneBackend() {
        for (int i = 0; i < 3; i++) {
            backends.add(TestBackend.plaintext());
        }
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("ring-hash", "carts.addresses=" + addresses);
        LbChannel carts = sample.channel("carts");

        Set<String> used = new HashSet<>();
        for (int c = 0; c < 30; c++) {
            String customer = "customer-" + c;
            Metadata headers = new Metadata();
            headers.put(CUSTOMER, customer);
            String byHeader = servedBy(TestServiceGrpc.newBlockingStub(carts)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
            for (int i = 0; i < 3; i++) {
                assertThat(servedBy(TestServiceGrpc.newBlockingStub(carts)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))))
                        .as(customer).isEqualTo(byHeader);
            }
            assertThat(servedBy(TestServiceGrpc.newBlockingStub(carts)
                    .withOption(RingHash.HASH_KEY, RingHash.hashOf(customer))))
                    .as(customer + " by call option").isEqualTo(byHeader);
            used.add(byHeader);
        }
        assertThat(used).as("backends the customers spread over").hasSize(3);
    }

    private static String servedBy(TestServiceBlockingStub stub) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        stub.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        return headers.get().get(TestBackend.SERVED_BY);
    }
}
