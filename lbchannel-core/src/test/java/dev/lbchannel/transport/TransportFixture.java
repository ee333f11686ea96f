package dev.lbchannel.transport;

import com.google.protobuf.MessageLite;
import dev.lbchannel.testing.RawMethods;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.ByteArrayInputStream;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts transports for a test class on its own event loops and closes them all afterwards. */
final class TransportFixture implements AutoCloseable {

    /** Creates a stream on {@code transport} and starts it with {@code listener}. */
    static ClientStream open(ClientTransport transport, MethodDescriptor<?, ?> method, Metadata headers,
            CallOptions options, long deadlineNanos, ClientStreamListener listener) {
        ClientStream stream = transport.newStream(method, headers, options, deadlineNanos);
        stream.start(listener);
        return stream;
    }

    /** Makes {@code calls} unary calls of 3 bytes on {@code transport}, one after the other, each to end OK. */
    static void callOk(ClientTransport transport, int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            RecordingStreamListener listener = new RecordingStreamListener();
            ClientStream stream = open(transport, RawMethods.UNARY, new Metadata(), CallOptions.DEFAULT, -1, listener);
            stream.request(1);
            stream.writeMessage(OutboundFlowTests.framed(3));
            stream.halfClose();
            assertThat(listener.awaitClose().status().isOk()).isTrue();
        }
    }


    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<ClientTransport> transports = new ArrayList<>();

    TransportOptions.Builder options() {
        return TransportOptions.builder(group, NioSocketChannel.class);
    }

    /** Connects and waits for the transport to be ready. */
    Connected connect(TransportOptions options, SocketAddress address, String authority) throws Exception {
        Connected connected = start(options, address, authority);
        connected.listener.awaitReady();
        return connected;
    }

    Connected start(TransportOptions options, SocketAddress address, String authority) {
        ClientTransportFactory factory = ClientTransportFactory.netty(options);
        return start(factory, factory.newTransport(address, authority, TimeUnit.SECONDS.toNanos(10)));
    }

    /**
     * Connects with a keepalive time below {@link TransportOptions#MIN_KEEPALIVE_TIME_NANOS}, so
     * that keepalive tests run in milliseconds; timeout and without-calls come from {@code options}.
     */
    Connected connectWithKeepAliveTime(TransportOptions options, SocketAddress address, String authority,
            long keepAliveTimeNanos) throws Exception {
        NettyTransportFactory factory = new NettyTransportFactory(options);
        Connected connected = start(factory, new NettyClientTransport(factory, address, authority,
                TimeUnit.SECONDS.toNanos(10), keepAliveTimeNanos));
        connected.listener.awaitReady();
        return connected;
    }

    private Connected start(ClientTransportFactory factory, ClientTransport transport) {
        RecordingTransportListener listener = new RecordingTransportListener();
        transport.start(listener);
        synchronized (transports) {
            transports.add(transport);
        }
        return new Connected(factory, transport, listener);
    }

    @Override
    public void close() throws Exception {
        synchronized (transports) {
            for (ClientTransport transport : transports) {
                transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
            }
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    record Connected(ClientTransportFactory factory, ClientTransport transport, RecordingTransportListener listener) {

        /** Starts a stream, sends {@code requests}, half-closes and requests {@code responses}. */
        <Q extends MessageLite> Call start(MethodDescriptor<Q, ?> method, CallOptions options, Metadata headers,
                int responses, List<Q> requests, boolean halfClose) {
            RecordingStreamListener listener = new RecordingStreamListener();
            ClientStream stream = open(transport, method, headers, options, -1, listener);
            stream.request(responses);
            for (Q request : requests) {
                stream.writeMessage(frame(request));
            }
            if (halfClose) {
                stream.halfClose();
            } else {
                stream.flush();
            }
            return new Call(stream, listener);
        }

        <Q extends MessageLite> Call unary(MethodDescriptor<Q, ?> method, Q request) {
            return start(method, CallOptions.DEFAULT, new Metadata(), 1, List.of(request), true);
        }
    }

    record Call(ClientStream stream, RecordingStreamListener listener) {
    }

    static ByteBuf frame(MessageLite message) {
        return MessageFramer.frame(ByteBufAllocator.DEFAULT, new ByteArrayInputStream(message.toByteArray()),
                null, Integer.MAX_VALUE);
    }

    /** Polls {@code condition} until it holds or {@code seconds} pass; never sleeps long. */
    static void await(BooleanSupplier condition, int seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
