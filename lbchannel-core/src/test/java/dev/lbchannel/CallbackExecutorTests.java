package dev.lbchannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks of one call: in order, one at a time, never nested, inline when the executor is direct. */
@Timeout(30)
class CallbackExecutorTests {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void directExecutorRunsACallbackAtOnceOnTheCallingThread() {
        CallbackExecutor callbacks = new CallbackExecutor(DirectExecutor.INSTANCE);
        Thread caller = Thread.currentThread();

        callbacks.execute(() -> events.add(Thread.currentThread() == caller ? "inline" : "elsewhere"));

        assertThat(events).containsExactly("inline");
    }

    @Test
    void callbackDeliveredFromACallbackRunsAfterItNotInsideIt() {
        CallbackExecutor callbacks = new CallbackExecutor(DirectExecutor.INSTANCE);

        callbacks.execute(() -> {
            events.add("first starts");
            callbacks.execute(() -> events.add("second"));
            assertThat(callbacks.enterDirect()).isFalse();
            events.add("first ends");
        });

        assertThat(events).containsExactly("first starts", "first ends", "second");
        assertThat(callbacks.enterDirect()).isTrue();
        callbacks.exitDirect();
    }

    @Test
    void callbackFromAnotherThreadWaitsForTheRunningOneAndRunsOnItsThread() throws Exception {
        CallbackExecutor callbacks = new CallbackExecutor(DirectExecutor.INSTANCE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread runner = new Thread(() -> callbacks.execute(() -> {
            events.add("first");
            running.countDown();
            await(release);
        }));
        runner.start();
        running.await(5, TimeUnit.SECONDS);

        callbacks.execute(() -> events.add(Thread.currentThread() == runner ? "second on runner" : "second elsewhere"));
        assertThat(events).containsExactly("first");
        release.countDown();
        runner.join(5_000);

        assertThat(events).containsExactly("first", "second on runner");
    }

    @Test
    void poolExecutorRunsCallbacksInOrderOneAtATime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CallbackExecutor callbacks = new CallbackExecutor(pool);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 200; i++) {
                int n = i;
                callbacks.execute(() -> events.add(Integer.toString(n)));
            }
            callbacks.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(events).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(events.get(i)).isEqualTo(Integer.toString(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Listener exceptions never get here: the call's dispatcher turns them into a cancelled call
     * (see ClientCallContractTests). This is the executor's last guard, against its own bugs.
     */
    @Test
    void aTaskThatThrowsPastItsGuardDoesNotStallTheOnesBehindIt() {
        CallbackExecutor callbacks = new CallbackExecutor(DirectExecutor.INSTANCE);

        callbacks.execute(() -> {
            callbacks.execute(() -> events.add("after"));
            throw new IllegalStateException("listener bug");
        });

        assertThat(events).containsExactly("after");
    }

    @Test
    void guavaDirectExecutorIsRecognized() {
        assertThat(DirectExecutor.isDirect(com.google.common.util.concurrent.MoreExecutors.directExecutor())).isTrue();
        assertThat(DirectExecutor.isDirect(Runnable::run)).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
