package dev.lbchannel;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A balancer, picker or resolver that throws is a bug the channel cannot work around: it panics,
 * as grpc-java's does. Every call, fail-fast or wait-for-ready, fails at once with INTERNAL naming
 * the exception; nothing revives the channel but a new one; shutdown still works. A status a
 * picker fails a call with keeps to the codes the control plane may use (gRFC A54).
 */
@Timeout(60)
class ChannelPanicTests {

    private final TestBackend backend = TestBackend.plaintext();
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdown();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
    }

    /** A policy named "test_policy" whose balancer publishes {@code picker} or throws what it throws. */
    private static BalancerProvider policy(Function<BalancerHelper, Balancer> balancer) {
        return new BalancerProvider() {
            @Override
            public String policyName() {
                return "test_policy";
            }

            @Override
            public Balancer newBalancer(BalancerHelper helper) {
                return balancer.apply(helper);
            }
        };
    }

    private static Balancer publishing(BalancerHelper helper, Picker picker) {
        return new Balancer() {
            @Override
            public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
                helper.updateState(ConnectivityState.READY, picker);
                return Status.OK;
            }

            @Override
            public void handleResolutionError(Status error) {
            }

            @Override
            public void shutdown() {
            }
        };
    }

    private void build(BalancerProvider provider) {
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext()
                .balancerProvider(provider).defaultLoadBalancingPolicy(provider.policyName()).build();
    }

    private Status call(CallOptions options) {
        try {
            ClientCalls.blockingUnaryCall(channel, TestServiceGrpc.getEmptyCallMethod(),
                    options.withDeadlineAfter(20, TimeUnit.SECONDS), Empty.getDefaultInstance());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void aThrowingBalancerFailsEveryCallInternalAndNothingRevivesTheChannel() {
        IllegalStateException bug = new IllegalStateException("balancer bug");
        build(policy(helper -> new Balancer() {
            @Override
            public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
                throw bug;
            }

            @Override
            public void handleResolutionError(Status error) {
            }

            @Override
            public void shutdown() {
            }
        }));

        long started = System.nanoTime();
        Status failFast = call(CallOptions.DEFAULT);
        assertThat(failFast.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(failFast.getDescription()).contains("Panic", "balancer bug");
        assertThat(failFast.getCause()).isSameAs(bug);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
        assertThat(call(CallOptions.DEFAULT.withWaitForReady()).getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(channel.snapshot().trace()).anySatisfy(event -> {
            assertThat(event.severity()).isEqualTo(TraceEvent.Severity.ERROR);
            assertThat(event.description()).contains("Panic");
        });

        channel.resetConnectBackoff();
        channel.refreshResolution();
        channel.enterIdle();
        channel.getState(true);
        assertThat(call(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(backend.callsStarted()).isZero();
    }

    @Test
    void aThrowingPickerFailsTheCallInternalWithItsException() {
        build(policy(helper -> publishing(helper, args -> {
            throw new ArithmeticException("picker bug");
        })));

        Status status = call(CallOptions.DEFAULT);

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getCause()).isInstanceOf(ArithmeticException.class).hasMessage("picker bug");
        assertThat(call(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void aThrowingResolverPanicsTheChannel() {
        ResolverProvider exploding = new ResolverProvider() {
            @Override
            public String scheme() {
                return "exploding";
            }

            @Override
            public Resolver newResolver(Target target, ResolverArgs args) {
                return new Resolver() {
                    @Override
                    public void start(ResolverListener listener) {
                        throw new IllegalArgumentException("resolver bug");
                    }

                    @Override
                    public void refresh() {
                    }

                    @Override
                    public void shutdown() {
                    }
                };
            }
        };
        channel = LbChannelBuilder.forTarget("exploding:///anything").usePlaintext().resolverProvider(exploding).build();

        Status status = call(CallOptions.DEFAULT.withWaitForReady());

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).contains("resolver bug");
    }

    @Test
    void pickerStatusesOnlyAServerMaySendReachTheApplicationAsInternal() {
        build(policy(helper -> publishing(helper, args -> PickResult.withError(
                Status.NOT_FOUND.withDescription("no such shard")))));
        Status notFound = call(CallOptions.DEFAULT);
        assertThat(notFound.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(notFound.getDescription()).contains("NOT_FOUND", "no such shard");
    }

    @Test
    void droppedCallsKeepAStatusTheControlPlaneMayUse() {
        build(policy(helper -> publishing(helper, args -> PickResult.withDrop(
                Status.UNAVAILABLE.withDescription("dropped for load shedding")))));
        Status dropped = call(CallOptions.DEFAULT.withWaitForReady());
        assertThat(dropped.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(dropped.getDescription()).isEqualTo("dropped for load shedding");
    }
}
