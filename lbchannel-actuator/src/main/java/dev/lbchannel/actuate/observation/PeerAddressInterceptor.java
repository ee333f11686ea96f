package dev.lbchannel.actuate.observation;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Puts the address of the backend a call really went to into its {@code grpc.client} observation.
 * Micrometer's interceptor takes the peer from the channel's authority, which for a balancing
 * channel names the service, not the backend; this one sits between it and the channel, finds the
 * observation it opened around {@code start}, and, once the call has a connection (response
 * headers, or the close), replaces the peer name and port with the connection's remote address.
 */
final class PeerAddressInterceptor implements ClientInterceptor {

    private final ObservationRegistry registry;

    PeerAddressInterceptor(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                Observation current = registry.getCurrentObservation();
                if (current == null || !(current.getContext() instanceof GrpcClientObservationContext context)) {
                    super.start(listener, headers);
                    return;
                }
                ClientCall<Q, R> call = this;
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onHeaders(Metadata responseHeaders) {
                        record(call, context);
                        super.onHeaders(responseHeaders);
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        record(call, context); // before the observation's own listener stops it
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }

    private static void record(ClientCall<?, ?> call, GrpcClientObservationContext context) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote instanceof InetSocketAddress address) {
            context.setPeerName(address.getAddress() != null ? address.getAddress().getHostAddress()
                    : address.getHostString());
            context.setPeerPort(address.getPort());
        }
    }
}
