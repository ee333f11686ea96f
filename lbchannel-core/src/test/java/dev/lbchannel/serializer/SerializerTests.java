package dev.lbchannel.serializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Timeout(30)
class SerializerTests {

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((t, e) -> uncaught.add(e));

    @Test
    void tasksQueuedFromInsideRunAfterTheCurrentOneInOrder() {
        List<String> order = new ArrayList<>();
        serializer.execute(() -> {
            order.add("a");
            serializer.execute(() -> order.add("c"));
            order.add("b");
        });
        assertThat(order).containsExactly("a", "b", "c");
    }

    @Test
    void neverRunsTwoTasksAtOnceAcrossThreads() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    serializer.execute(() -> {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        count.incrementAndGet();
                        running.decrementAndGet();
                    });
                }
                done.countDown();
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(count).hasValue(40_000);
        assertThat(maxRunning).hasValue(1);
    }

    @Test
    void exceptionGoesToHandlerAndLaterTasksStillRun() {
        List<String> ran = new ArrayList<>();
        serializer.execute(() -> {
            throw new IllegalStateException("boom");
        });
        serializer.execute(() -> ran.add("after"));
        assertThat(uncaught).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
        assertThat(ran).containsExactly("after");
    }

    @Test
    void assertInContextFailsOutsideAndPassesInside() {
        assertThatIllegalStateException().isThrownBy(serializer::assertInContext);
        serializer.execute(serializer::assertInContext);
        assertThat(uncaught).isEmpty();
    }

    @Test
    void cancelledScheduledTaskNeverRuns() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicInteger cancelledRuns = new AtomicInteger();
            serializer.execute(() -> {
                Serializer.ScheduledHandle cancelled =
                        serializer.schedule(cancelledRuns::incrementAndGet, 1, TimeUnit.MILLISECONDS, timer);
                cancelled.cancel();
                assertThat(cancelled.isPending()).isFalse();
                serializer.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS, timer);
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            // The scheduler runs tasks in time order, so the cancelled one had its chance first.
            assertThat(cancelledRuns).hasValue(0);
        } finally {
            timer.shutdownNow();
        }
    }
}
