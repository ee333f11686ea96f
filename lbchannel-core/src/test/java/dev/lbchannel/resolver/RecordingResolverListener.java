package dev.lbchannel.resolver;

import dev.lbchannel.testing.Await;
import io.grpc.Status;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A resolver listener that records every report with the time it arrived, for tests to wait on
 * and inspect. Thread-safe, as the listener contract requires.
 */
public final class RecordingResolverListener implements ResolverListener {

    /** One report: a result or an error, and {@link System#nanoTime()} when it arrived. */
    public record Event(ResolutionResult result, Status error, long nanoTime) {

        public boolean isResult() {
            return result != null;
        }

        /** The result's addresses as {@code ip:port} strings, in order, one list per endpoint. */
        public List<List<String>> addresses() {
            return result.endpoints().stream()
                    .map(e -> e.addresses().stream().map(RecordingResolverListener::text).toList())
                    .toList();
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onResult(ResolutionResult result) {
        events.add(new Event(result, null, System.nanoTime()));
    }

    @Override
    public void onError(Status error) {
        events.add(new Event(null, error, System.nanoTime()));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> results() {
        return events.stream().filter(Event::isResult).toList();
    }

    /** Waits (bounded) for the {@code n}th report, counting from 1, and returns it. */
    public Event awaitEvent(int n) {
        Await.until(n + " resolver reports; so far " + events, () -> events.size() >= n);
        return events.get(n - 1);
    }

    /** Waits (bounded) for a result whose endpoints' addresses match, and returns the first such. */
    public Event awaitResult(String what, Predicate<Event> condition) {
        Await.until(what + "; so far " + events, Duration.ofSeconds(20),
                () -> events.stream().anyMatch(e -> e.isResult() && condition.test(e)));
        return events.stream().filter(e -> e.isResult() && condition.test(e)).findFirst().orElseThrow();
    }

    /** Waits (bounded) for the first error and returns it. */
    public Status awaitError() {
        Await.until("a resolver error; so far " + events, () -> events.stream().anyMatch(e -> !e.isResult()));
        return events.stream().filter(e -> !e.isResult()).findFirst().orElseThrow().error();
    }

    /** {@code ip:port}, with brackets for IPv6, without the JDK's host name part. */
    public static String text(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        String ip = inet.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }
}
