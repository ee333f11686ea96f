package dev.lbchannel.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fails a test class that leaked a Netty reference-counted object. Registered for every test
 * class through JUnit's extension auto-detection ({@code META-INF/services}); it installs, as its
 * class loads (before any Netty buffer class), a {@link ResourceLeakDetectorFactory} whose
 * detectors record every leak report. After each class it provokes collection and reporting, a
 * bounded number of rounds, and fails the class with the records if anything leaked.
 *
 * <p>Leak reports need garbage collection, so run with
 * {@code -Dio.netty.leakDetection.level=paranoid} (the build does) to track every buffer. Only
 * the unshaded Netty is watched; grpc-netty-shaded's copy is the server's business.
 * Thread-safe.
 */
public final class NettyLeakDetection implements BeforeAllCallback, AfterAllCallback {

    private static final int ROUNDS = 8;
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // A leak reported this late belongs to an earlier class; it still fails the build, here.
        List<String> late = new ArrayList<>(LEAKS);
        LEAKS.clear();
        if (!late.isEmpty()) {
            throw new AssertionError(late.size() + " Netty leak(s) from a test class before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", late));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Collects garbage and provokes the detectors until no new leak shows up, then returns and
     * forgets every leak reported so far.
     */
    public static List<String> collectLeaks() {
        for (int round = 0; round < ROUNDS; round++) {
            int before = LEAKS.size();
            collectAndAwaitReferenceProcessing();
            provokeReporting();
            if (round >= 2 && LEAKS.size() == before) {
                break;
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }

    /**
     * A collection, and then the JDK's reference handler done with what it found: a leaked
     * buffer's tracker is only seen by its detector once the handler has queued it, which on a
     * loaded machine can be well after {@code System.gc()} returns. A sentinel that became
     * unreachable before the collection is queued with the rest; waiting for it (bounded) waits
     * for them.
     */
    private static void collectAndAwaitReferenceProcessing() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }

    /** Detectors report when they track a new object; allocate and release a few. */
    private static void provokeReporting() {
        for (int i = 0; i < 16; i++) {
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(8);
            pooled.release();
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
            unpooled.release();
            ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
            heap.release();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (no records; enable paranoid leak detection)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
