package dev.lbchannel.balancer;

import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/** What a {@link Picker} may look at for one RPC. Valid only during {@link Picker#pick}. */
public interface PickArgs {

    MethodDescriptor<?, ?> method();

    /** The RPC's headers; a picker may read them (for hashing) but must not change them. */
    Metadata headers();

    CallOptions callOptions();
}
