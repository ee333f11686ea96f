package dev.lbchannel.samples.resolver;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.ResolverListener;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EndpointsFileResolver} on its own, with a listener that can misbehave: reads run on a
 * queue the test drains by hand, so each test decides exactly when a read happens; reports reach
 * the listener through a serializer, as in a channel.
 */
@Timeout(10)
class EndpointsFileResolverTests {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ManualExecutor offload = new ManualExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((thread, error) -> uncaught.add(error));

    @TempDir
    Path directory;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aListenerThatThrowsDoesNotStopLaterReads() throws Exception {
        Path file = write("127.0.0.1:9090");
        EndpointsFileResolver resolver = resolver(file);
        listener.failNextResult(new IllegalStateException("listener broke"));

        resolver.start(listener);
        offload.runAll();

        // The throw stays with the serializer (the channel logs it there); the read loop goes on.
        assertThat(uncaught).singleElement().satisfies(e -> assertThat(e).hasMessage("listener broke"));
        write("127.0.0.1:9091");
        resolver.refresh();
        offload.runAll();
        assertThat(listener.nextResult().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 9091)));
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aRefreshDuringAReadGetsAReadOfItsOwn() throws Exception {
        EndpointsFileResolver resolver = resolver(write("127.0.0.1:9090"));
        // The refresh arrives while the first report is being delivered, before the file changes.
        listener.whileReporting(() -> {
            writeUnchecked("127.0.0.1:9091");
            resolver.refresh();
        });

        resolver.start(listener);
        offload.runNext();

        assertThat(listener.nextResult().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 9090)));
        assertThat(listener.nextResult().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 9091)));
        assertThat(uncaught).isEmpty();
    }

    @Test
    void nothingIsReportedAfterShutdown() throws Exception {
        EndpointsFileResolver withFile = resolver(write("127.0.0.1:9090"));
        EndpointsFileResolver withoutFile = resolver(directory.resolve("missing.endpoints"));
        withFile.start(listener);
        withoutFile.start(listener);

        withFile.shutdown();
        withoutFile.shutdown();
        withFile.refresh();
        offload.runAll();

        assertThat(listener.events).isEmpty();
        assertThat(uncaught).isEmpty();
    }

    private EndpointsFileResolver resolver(Path file) {
        return new EndpointsFileResolver(file, 443, Duration.ZERO, scheduler, offload, serializer);
    }

    private void writeUnchecked(String line) {
        try {
            write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String line) throws IOException {
        return Files.writeString(directory.resolve("catalog.endpoints"), line + "\n");
    }

    /** Runs what it is given only when the test says, on the test's thread. */
    private static final class ManualExecutor implements Executor {

        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runNext() {
            Runnable task;
            synchronized (this) {
                task = tasks.remove();
            }
            task.run();
        }

        void runAll() {
            while (true) {
                synchronized (this) {
                    if (tasks.isEmpty()) {
                        return;
                    }
                }
                runNext();
            }
        }
    }

    /** Records what it hears; can be told to throw once from onResult, or to act while called. */
    private static final class RecordingListener implements ResolverListener {

        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final AtomicReference<RuntimeException> resultFailure = new AtomicReference<>();
        private final AtomicReference<Runnable> whileReporting = new AtomicReference<>();

        void failNextResult(RuntimeException failure) {
            resultFailure.set(failure);
        }

        void whileReporting(Runnable action) {
            whileReporting.set(action);
        }

        @Override
        public void onResult(ResolutionResult result) {
            heard(result, resultFailure);
        }

        @Override
        public void onError(Status error) {
            heard(error, new AtomicReference<>());
        }

        private void heard(Object event, AtomicReference<RuntimeException> failure) {
            Runnable action = whileReporting.getAndSet(null);
            if (action != null) {
                action.run();
            }
            RuntimeException thrown = failure.getAndSet(null);
            if (thrown != null) {
                throw thrown;
            }
            events.add(event);
        }

        ResolutionResult nextResult() throws InterruptedException {
            return next(ResolutionResult.class);
        }


        private <T> T next(Class<T> type) throws InterruptedException {
            Object event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("the next report").isInstanceOf(type);
            return type.cast(event);
        }
    }
}
