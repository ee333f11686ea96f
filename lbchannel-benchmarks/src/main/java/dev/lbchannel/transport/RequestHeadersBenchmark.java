package dev.lbchannel.transport;

import dev.lbchannel.transport.hpack.HeaderBlockEncoder;
import io.grpc.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A request's HEADERS per RPC: {@link #build} is lbchannel's part (pseudo-headers, gRPC headers,
 * a 5 s deadline, the application's metadata), {@link #buildAndEncode} adds HPACK encoding with a
 * warm dynamic table, as on a connection carrying many calls: {@code hpack} is lbchannel's own
 * encoder or Netty's (what lbchannel used before, and grpc-java uses). {@code metadata} is
 * {@code none} or {@code three} application entries, one of them binary.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestHeadersBenchmark {

    private static final AsciiString PATH = AsciiString.cached("/grpc.testing.TestService/UnaryCall");
    private static final AsciiString AUTHORITY = AsciiString.cached("127.0.0.1:50051");
    private static final AsciiString USER_AGENT = AsciiString.cached("lbchannel/0.1.0");
    private static final AsciiString ACCEPT_ENCODING = AsciiString.cached("gzip");
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Param({"none", "three"})
    public String metadata;

    @Param({"lbchannel", "netty"})
    public String hpack;

    private Metadata headers;
    private final HeaderBlockEncoder ours = new HeaderBlockEncoder();
    private final Http2HeadersEncoder netty = new DefaultHttp2HeadersEncoder();
    private final ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(1024);

    @Setup
    public void fillMetadata() {
        headers = new Metadata();
        if (metadata.equals("three")) {
            headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "3f2a9c1e-77b1-4c1e-9d0a-2f3b4c5d6e7f");
            headers.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "orders");
            headers.put(Metadata.Key.of("x-trace-bin", Metadata.BINARY_BYTE_MARSHALLER),
                    "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Benchmark
    public Http2Headers build() {
        return RequestHeaders.create(RequestHeaders.HTTP, PATH, AUTHORITY, USER_AGENT, null, ACCEPT_ENCODING,
                DEADLINE_NANOS, headers);
    }

    @Benchmark
    public int buildAndEncode() throws Exception {
        Http2Headers built = RequestHeaders.create(RequestHeaders.HTTP, PATH, AUTHORITY, USER_AGENT, null,
                ACCEPT_ENCODING, DEADLINE_NANOS, headers);
        out.clear();
        if (hpack.equals("lbchannel")) {
            ours.encode(3, built, out);
        } else {
            netty.encodeHeaders(3, built, out);
        }
        return out.readableBytes();
    }
}
