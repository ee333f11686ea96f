package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;

import static java.util.Objects.requireNonNull;

/**
 * The channel stub beans are made over: it sends each call to the {@link LbChannel} configured
 * under its name at the time of the call, so that stubs follow a refresh that replaces the
 * channel, while calls already started finish on the old one as it drains. A call costs one
 * volatile read more than on the channel itself. Once the name is no longer configured, calls go
 * to the last channel it had, which is shut down, and fail with UNAVAILABLE. Thread-safe.
 */
final class CurrentChannel extends Channel {

    private final String name;
    private volatile LbChannel channel;

    CurrentChannel(String name, LbChannel channel) {
        this.name = requireNonNull(name, "name");
        this.channel = requireNonNull(channel, "channel");
    }

    LbChannel channel() {
        return channel;
    }

    /** Sends calls made from now on to {@code next}; for the refresh, under its lock. */
    void switchTo(LbChannel next) {
        channel = requireNonNull(next, "next");
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
        return channel.newCall(method, options);
    }

    @Override
    public String authority() {
        return channel.authority();
    }

    @Override
    public String toString() {
        return "CurrentChannel{name=" + name + ", channel=" + channel + "}";
    }
}
