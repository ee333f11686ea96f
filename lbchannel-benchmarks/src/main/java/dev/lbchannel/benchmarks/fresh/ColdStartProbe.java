package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.benchmarks.ProcStat;
import io.grpc.ManagedChannel;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;

import java.lang.management.ManagementFactory;

/**
 * The cold-start child JVM: builds one channel of the client named by its first argument to
 * {@code 127.0.0.1:<port>}, makes one unary call, and prints
 * {@code RESULT <JVM start to call done, ms> <JVM start to main, ms> <classes loaded> <CPU time, ms>}
 * (the CPU time read a little after the call, from {@code /proc}, in 10 ms ticks). Nothing
 * runs before the call that the call does not need: the management beans that read the JVM's
 * start time and class count are touched only after it (their own classes, the same for both
 * clients, are in the count).
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long mainMillis = System.currentTimeMillis();
        FreshClient client = FreshClient.byId(args[0]);
        ManagedChannel channel = client.open("127.0.0.1:" + Integer.parseInt(args[1]));
        callAndReport(channel, mainMillis);
    }

    /**
     * Makes the one call on {@code channel}, prints the {@code RESULT} line and halts: the
     * measurement is over, and a channel's orderly shutdown is not part of it.
     */
    static void callAndReport(ManagedChannel channel, long mainMillis) {
        TestServiceGrpc.newBlockingStub(channel).unaryCall(SimpleRequest.newBuilder().setResponseSize(16).build());
        long doneMillis = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        // CPU time (all threads: JIT, GC, event loops) is what a busy machine disturbs least.
        long cpuMillis = ProcStat.processTicks(ProcessHandle.current().pid()) * 1000 / ProcStat.TICKS_PER_SECOND;
        System.out.println(ChildJvm.RESULT_PREFIX + (doneMillis - jvmStart) + " " + (mainMillis - jvmStart) + " "
                + classes + " " + cpuMillis);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
