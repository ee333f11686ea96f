package dev.lbchannel.benchmarks.fresh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one probe in a fresh JVM (this JVM's java and class path) and waits for the line that
 * starts with {@link #RESULT_PREFIX}: the probe's answer, with the wall time from just before
 * {@link ProcessBuilder#start()} to reading it. Lines before it are echoed; a probe that exits
 * without answering is an error that carries its exit code. Stateless.
 */
final class ChildJvm {

    static final String RESULT_PREFIX = "RESULT ";

    /** A probe's answer: its words after the prefix, and the parent-side wall time in nanoseconds. */
    record Answer(String[] words, long wallNanos) {
    }

    private ChildJvm() {
    }

    static Answer run(List<String> jvmArgs, Class<?> main, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT_PREFIX)) {
                    long wall = System.nanoTime() - start;
                    return new Answer(line.substring(RESULT_PREFIX.length()).trim().split(" "), wall);
                }
                System.out.println("  | " + line);
            }
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        throw new IOException("The probe exited (code " + process.exitValue() + ") without a result: " + String.join(" ", args));
    }
}
