package dev.lbchannel;

import dev.lbchannel.testing.Await;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class CallbackPoolTests {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private CallbackPool pool = new CallbackPool(new DefaultThreadFactory("pool-test", true), 60, TimeUnit.SECONDS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("terminated").isTrue();
    }

    @Test
    void everyTaskRunsExactlyOnceWhenManyThreadsSubmit() throws Exception {
        int submitters = 4;
        int each = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(submitters * each);
        CountDownLatch done = new CountDownLatch(submitters * each);
        Thread[] threads = new Thread[submitters];
        for (int t = 0; t < submitters; t++) {
            int base = t * each;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int index = base + i;
                    pool.execute(() -> {
                        runs.incrementAndGet(index);
                        done.countDown();
                    });
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).as("all tasks ran").isTrue();
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        }
    }

    @Test
    void aBurstOfShortTasksWakesFewThreads() throws Exception {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(10_000);
        for (int i = 0; i < 10_000; i++) {
            pool.execute(() -> {
                ran.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        // A cached pool would start a thread for every task that found none idle; this one starts
        // one to search, and one more each time the searcher takes a task with others waiting.
        assertThat(ran.size()).as("threads that ran 10,000 short tasks").isLessThanOrEqualTo(8);
    }

    @Test
    void aBlockedTaskDoesNotHoldBackTheTasksBehindIt() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch blockerDone = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                // Waits for a task submitted after it: in a pool that ran tasks one at a time, a deadlock.
                released.await();
                blockerDone.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pool.execute(released::countDown);
        assertThat(blockerDone.await(20, TimeUnit.SECONDS)).as("the blocked task was released by the next").isTrue();
    }

    @Test
    void tasksQueuedWhileEveryThreadBlocksStillRun() throws Exception {
        int blocked = 5;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBlocked = new CountDownLatch(blocked);
        for (int i = 0; i < blocked; i++) {
            pool.execute(() -> {
                allBlocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(allBlocked.await(20, TimeUnit.SECONDS)).as("each blocking task got a thread").isTrue();
        CountDownLatch later = new CountDownLatch(1);
        pool.execute(later::countDown);
        assertThat(later.await(20, TimeUnit.SECONDS)).as("a task submitted while five threads block").isTrue();
        release.countDown();
    }

    @Test
    void idleThreadsRetireAfterTheKeepAlive() throws Exception {
        pool.shutdown();
        pool = new CallbackPool(new DefaultThreadFactory("pool-test", true), 50, TimeUnit.MILLISECONDS);
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(done::countDown);
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        Await.until("no thread left after 50 ms idle", BOUND, () -> pool.threads() == 0);

        CountDownLatch again = new CountDownLatch(1);
        pool.execute(again::countDown);
        assertThat(again.await(20, TimeUnit.SECONDS)).as("a task after every thread retired").isTrue();
    }

    @Test
    void shutdownRunsWhatWasQueuedThenEndsEveryThread() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        for (int i = 0; i < 100; i++) {
            pool.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut down");
        assertThat(pool.isTerminated()).isFalse();
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(101);
        assertThat(pool.threads()).isZero();
    }

    @Test
    void shutdownNowReturnsWhatHadNotStarted() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // Both may be taken by the searcher the blocked thread woke; whatever was not taken comes back.
        Runnable a = () -> { };
        Runnable b = () -> { };
        pool.execute(a);
        pool.execute(b);
        List<Runnable> unrun = pool.shutdownNow();
        assertThat(unrun).isSubsetOf(a, b);
        gate.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
