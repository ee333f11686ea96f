package dev.lbchannel.demo.client;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.demo.v1.GreeterGrpc;
import dev.lbchannel.demo.v1.GreeterGrpc.GreeterBlockingStub;
import dev.lbchannel.demo.v1.HelloReply;
import dev.lbchannel.demo.v1.HelloRequest;
import io.grpc.StatusRuntimeException;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Says hello through any configured channel. It makes one generated blocking stub per channel of
 * {@link LbChannels}, so a channel added under {@code lbchannel.channels.*} is callable here
 * without code. (For a fixed channel, {@code @ImportLbChannelStubs} injects the stub itself.)
 * Deadlines come from the channels' {@code default.deadline}. Immutable and thread-safe.
 */
@Component
public final class GreeterClient {

    private final Map<String, GreeterBlockingStub> stubs;
    private final List<String> names;

    public GreeterClient(LbChannels channels) {
        Map<String, GreeterBlockingStub> byName = new LinkedHashMap<>();
        channels.asMap().forEach((name, channel) -> byName.put(name, GreeterGrpc.newBlockingStub(channel)));
        this.stubs = Map.copyOf(byName);
        this.names = List.copyOf(byName.keySet());
    }

    /** The channels' names, in configuration order. */
    public List<String> channels() {
        return names;
    }

    /**
     * Calls {@code SayHello} on the named channel and waits for the answer.
     *
     * @throws UnknownChannelException when no channel has that name
     * @throws CallFailedException when the call ends with a status other than OK
     */
    public Greeting greet(String channel, String name) {
        GreeterBlockingStub stub = stubs.get(channel);
        if (stub == null) {
            throw new UnknownChannelException(channel, names);
        }
        try {
            HelloReply reply = stub.sayHello(HelloRequest.newBuilder().setName(name).build());
            return new Greeting(reply.getMessage(), reply.getBackendId(), channel);
        } catch (StatusRuntimeException e) {
            throw new CallFailedException(channel, e.getStatus(), e);
        }
    }
}
