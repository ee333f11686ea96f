package dev.lbchannel.boot.autoconfigure;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

import java.util.List;

/** Client interceptors that record what they saw. */
final class TestInterceptors {

    private TestInterceptors() {
    }

    /** Adds its name to a shared list on every call, so tests see which ran and in what order. */
    record Recording(String name, List<String> calls) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            synchronized (calls) {
                calls.add(name);
            }
            return next.newCall(method, options);
        }
    }

    /** Remembers the deadline of the last call it saw. */
    static final class DeadlineSpy implements ClientInterceptor {
        volatile @Nullable Deadline last;

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            last = options.getDeadline();
            return next.newCall(method, options);
        }
    }
}
