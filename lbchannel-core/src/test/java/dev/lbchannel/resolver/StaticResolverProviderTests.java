package dev.lbchannel.resolver;

import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.target.Target;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(30)
class StaticResolverProviderTests {

    private static final ResolverTestEnvironment environment = new ResolverTestEnvironment();
    private final StaticResolverProvider provider = new StaticResolverProvider();
    private final RecordingResolverListener listener = new RecordingResolverListener();

    @AfterAll
    static void closeEnvironment() throws InterruptedException {
        environment.close();
    }

    @Test
    void literalsBecomeOneEndpointEachInOrderAtStart() {
        Resolver resolver = resolver("static:///10.0.0.2:5002,10.0.0.1:5001,[::1]:5003,[fd00::7]", 443);

        resolver.start(listener);

        // Reported on the calling thread: no lookup is needed.
        assertThat(listener.events()).hasSize(1);
        assertThat(listener.events().get(0).addresses()).containsExactly(
                List.of("10.0.0.2:5002"), List.of("10.0.0.1:5001"), List.of("[0:0:0:0:0:0:0:1]:5003"),
                List.of("[fd00:0:0:0:0:0:0:7]:443"));
        assertThat(listener.events().get(0).result().serviceConfig()).isNull();
        resolver.shutdown();
    }

    @Test
    void entryWithoutPortUsesDefaultPort() {
        Resolver resolver = resolver("static:///10.0.0.1,10.0.0.2:7", 80);

        resolver.start(listener);

        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("10.0.0.1:80"), List.of("10.0.0.2:7"));
    }

    @Test
    void hostNamesAfterTheFirstEntryNameTheirOwnAuthority() {
        Resolver resolver = resolver("static:///localhost:1, 10.0.0.1:2,localhost:1,localhost:3,localhost", 443);

        resolver.start(listener);

        Event event = listener.awaitEvent(1);
        assertThat(event.isResult()).as("%s", event).isTrue();
        // The first entry is the channel's authority already; an IP literal names no host; a
        // repeat of the first is the first; other names are their own, as written.
        assertThat(event.result().endpoints()).map(e -> e.attributes().get(EndpointAttributes.AUTHORITY))
                .containsExactly(null, null, null, "localhost:3", "localhost");
    }

    @Test
    void hostNameIsLookedUpOnTheOffloadExecutorWithAllItsAddresses() {
        Resolver resolver = resolver("static:///localhost:50051,10.0.0.1:1", 443);

        resolver.start(listener);

        Event event = listener.awaitEvent(1);
        assertThat(event.isResult()).as("%s", event).isTrue();
        assertThat(event.addresses()).hasSize(2);
        assertThat(event.addresses().get(0)).contains("127.0.0.1:50051")
                .allMatch(a -> a.equals("127.0.0.1:50051") || a.equals("[0:0:0:0:0:0:0:1]:50051"));
        assertThat(event.addresses().get(1)).containsExactly("10.0.0.1:1");
    }

    @Test
    void lookupRunsOnlyOnTheOffloadExecutor() {
        ManualExecutor offload = new ManualExecutor();
        Resolver resolver = resolver("static:///localhost:1", offload);

        resolver.start(listener);

        assertThat(listener.events()).isEmpty();
        assertThat(offload.runAll()).isEqualTo(1);
        assertThat(listener.events()).hasSize(1);
    }

    @Test
    void nameThatDoesNotResolveIsUnavailableNamingTheHost() {
        Resolver resolver = resolver("static:///10.0.0.1:1,no-such-host.invalid:2", 443);

        resolver.start(listener);

        Status error = listener.awaitError();
        assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(error.getDescription()).contains("no-such-host.invalid");
    }

    @Test
    void refreshAfterFailureLooksUpAgainButAfterSuccessDoesNothing() {
        ManualExecutor offload = new ManualExecutor();
        Resolver failing = resolver("static:///no-such-host.invalid:2", offload);
        failing.start(listener);
        offload.runAll();
        assertThat(listener.events()).hasSize(1);

        failing.refresh();

        assertThat(offload.runAll()).as("a retry after the failure").isEqualTo(1);
        assertThat(listener.events()).hasSize(2);

        RecordingResolverListener other = new RecordingResolverListener();
        Resolver resolved = resolver("static:///localhost:1", offload);
        resolved.start(other);
        offload.runAll();
        resolved.refresh();
        assertThat(offload.runAll()).as("no lookup once resolved").isZero();
        assertThat(other.events()).hasSize(1);
    }

    @Test
    void refreshOfLiteralsReportsNothingMore() {
        Resolver resolver = resolver("static:///10.0.0.1:1", 443);
        resolver.start(listener);

        resolver.refresh();
        resolver.refresh();

        assertThat(listener.events()).hasSize(1);
    }

    @Test
    void nothingIsReportedAfterShutdown() {
        ManualExecutor offload = new ManualExecutor();
        Resolver resolver = resolver("static:///localhost:1", offload);
        resolver.start(listener);

        resolver.shutdown();
        offload.runAll();

        assertThat(listener.events()).isEmpty();
    }

    @Test
    void newResolverStartsNoWork() {
        ManualExecutor offload = new ManualExecutor();

        resolver("static:///localhost:1", offload).shutdown();

        assertThat(offload.runAll()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "static:///                       | list at least one host:port",
        "static:///10.0.0.1:1,,10.0.0.2:2 | entry 2 is empty",
        "static:///10.0.0.1:1,            | entry 2 is empty",
        "static:///10.0.0.1:x             | entry 1: Invalid address '10.0.0.1:x'",
        "static:///a:1,b:70000            | entry 2: Invalid address 'b:70000'",
        "static:///[::1:1                 | entry 1: Invalid address '[::1:1'",
        "static:///::1:1                  | write an IPv6 address in brackets",
        "static:///999.1.1.1:1            | entry 1 '999.1.1.1:1': '999.1.1.1' is not a valid IP address",
        "static:///[zz::1]:1              | '[zz::1]:1': 'zz::1' is not a valid IP address",
        "static:///bad host:1             | entry 1 'bad host:1': 'bad host' is not a valid host name",
        "static:///a..b:1                 | 'a..b' is not a valid host name",
        "static://authority/10.0.0.1:1    | a static target has no authority",
    })
    void malformedTargetIsRejectedNamingTargetAndEntry(String target, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> resolver(target, 443))
                .withMessageStartingWith("Invalid target '" + target + "'")
                .withMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "static:///10.0.0.2:5002,10.0.0.1:5001 | 10.0.0.2:5002",
        "static:///backend-b, 10.0.0.1:5001    | backend-b",
        "static:///[::1]:5003                  | [::1]:5003",
    })
    void defaultAuthorityIsTheFirstEntryAsWritten(String target, String authority) {
        assertThat(provider.defaultAuthority(Target.parse(target))).isEqualTo(authority);
    }

    @Test
    void schemeIsStatic() {
        assertThat(provider.scheme()).isEqualTo("static");
        assertThat(ResolverRegistry.builtIns().with(provider).parseTarget("static:///10.0.0.1:1").scheme())
                .isEqualTo("static");
    }

    private Resolver resolver(String target, int defaultPort) {
        return provider.newResolver(Target.parse(target), environment.args(defaultPort));
    }

    private Resolver resolver(String target, Executor offload) {
        ResolverArgs real = environment.args(443);
        return provider.newResolver(Target.parse(target),
                new ResolverArgs(443, real.scheduler(), offload, real.eventLoopGroup(), real.serializer()));
    }

    /** Runs offloaded tasks only when the test says so, on the test's thread. */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized int runAll() {
            int ran = 0;
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
                ran++;
            }
            return ran;
        }
    }
}
