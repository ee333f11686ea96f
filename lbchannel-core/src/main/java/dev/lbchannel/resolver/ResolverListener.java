package dev.lbchannel.resolver;

import io.grpc.Status;

/**
 * Where a {@link Resolver} reports. Thread-safe: a resolver may call it from any thread; the
 * channel hops into its serializer.
 */
public interface ResolverListener {

    /** A new complete view of the name; it replaces the previous one. */
    void onResult(ResolutionResult result);

    /** Resolution failed; the channel keeps the previous result if it has one. */
    void onError(Status error);
}
