package dev.lbchannel;

import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.TransportAttributes;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Applies a call's {@link CallCredentials} to one {@link CallAttempt}, once the attempt knows its
 * connection: the credentials learn the method, the authority, the connection's security level
 * and attributes, and answer (at once or later, on any thread) with metadata that is merged into
 * a copy of the call's headers before the attempt's stream opens, or with a failure that ends the
 * call. Credentials that never answer hold the call only until its deadline or cancellation.
 */
final class AttemptCredentials extends CallCredentials.MetadataApplier {

    private final PreCommitStream stream;
    private final CallAttempt attempt;
    private final Metadata headers;
    private final AtomicBoolean answered = new AtomicBoolean();

    private AttemptCredentials(PreCommitStream stream, CallAttempt attempt, Metadata headers) {
        this.stream = stream;
        this.attempt = attempt;
        this.headers = headers;
    }

    /**
     * Asks {@code credentials} for {@code attempt}'s metadata on the call's executor (the
     * channel's when the call names none), as grpc-java does.
     */
    static void apply(CallCredentials credentials, PreCommitStream stream, CallAttempt attempt,
            MethodDescriptor<?, ?> method, CallOptions callOptions, Metadata headers, LbChannel channel) {
        channel.awaitingCredentials().add(stream); // shutdownNow ends calls whose credentials never answer
        if (stream.isDone()) {
            channel.awaitingCredentials().remove(stream); // ended meanwhile: its end may have looked already
            return;
        }
        AttemptCredentials applier = new AttemptCredentials(stream, attempt, headers);
        Executor executor = callOptions.getExecutor() != null ? callOptions.getExecutor() : channel.executor();
        // The connection's own authority, which its resolver may have set per address, not the channel's.
        String authority = callOptions.getAuthority() != null ? callOptions.getAuthority()
                : attempt.transport.authority();
        try {
            credentials.applyRequestMetadata(new Info(method, callOptions, authority, attempt.transport.attributes()),
                    executor, applier);
        } catch (RuntimeException | Error e) {
            applier.failOnce(Status.UNAUTHENTICATED.withDescription(
                    "The call's CallCredentials threw instead of calling MetadataApplier.fail(): " + e).withCause(e));
        }
    }

    @Override
    public void apply(Metadata credentialHeaders) {
        requireNonNull(credentialHeaders, "headers");
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("apply() or fail() was already called");
        }
        Metadata merged = new Metadata();
        merged.merge(headers); // a copy per attempt: a retry must not carry the last attempt's credentials twice
        merged.merge(credentialHeaders);
        stream.openAttempt(attempt, merged);
    }

    @Override
    public void fail(Status status) {
        requireNonNull(status, "status");
        if (status.isOk()) {
            throw new IllegalArgumentException("Cannot fail with an OK status");
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("apply() or fail() was already called");
        }
        stream.attemptEnded(attempt, ControlPlaneStatus.sanitize(status), RpcProgress.PROCESSED, new Metadata());
    }

    private void failOnce(Status status) {
        if (answered.compareAndSet(false, true)) {
            stream.attemptEnded(attempt, status, RpcProgress.PROCESSED, new Metadata());
        }
    }

    /** What the credentials may know of the call and its connection. */
    private static final class Info extends CallCredentials.RequestInfo {
        private final MethodDescriptor<?, ?> method;
        private final CallOptions callOptions;
        private final String authority;
        private final Attributes transportAttributes;

        Info(MethodDescriptor<?, ?> method, CallOptions callOptions, String authority, Attributes transportAttributes) {
            this.method = method;
            this.callOptions = callOptions;
            this.authority = authority;
            this.transportAttributes = transportAttributes;
        }

        @Override
        public MethodDescriptor<?, ?> getMethodDescriptor() {
            return method;
        }

        @Override
        public CallOptions getCallOptions() {
            return callOptions;
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return TransportAttributes.securityLevel(transportAttributes);
        }

        @Override
        public String getAuthority() {
            return authority;
        }

        @Override
        public Attributes getTransportAttrs() {
            return transportAttributes;
        }
    }
}
