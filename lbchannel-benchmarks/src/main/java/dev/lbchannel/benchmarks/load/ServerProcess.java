package dev.lbchannel.benchmarks.load;

import dev.lbchannel.benchmarks.ProcStat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link LoadServer} JVM, started with the harness's own java and class path, pinned with
 * {@code taskset -c <cpu>} when a CPU is given and taskset exists. {@link #close()} closes its
 * standard input, which stops it, and kills it if it lingers. Its CPU time is read from
 * {@code /proc}. Owned by the harness thread; the cold-start and footprint harnesses start it too.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final List<Integer> ports;
    private final String command;

    private ServerProcess(Process process, List<Integer> ports, String command) {
        this.process = process;
        this.ports = ports;
        this.command = command;
    }

    /** grpc-java's {@link LoadServer}. @param cpu the CPU to pin the server to, or -1 for no pinning */
    public static ServerProcess start(int cpu, List<String> jvmArgs) throws IOException {
        return start(cpu, jvmArgs, LoadServer.class);
    }

    /** @param main {@link LoadServer} or {@link CannedServer} */
    static ServerProcess start(int cpu, List<String> jvmArgs, Class<?> main) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("/usr/bin/taskset", "-c", Integer.toString(cpu)));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(LoadServer.PORT_LINE_PREFIX)) {
                List<Integer> ports = Arrays.stream(line.substring(LoadServer.PORT_LINE_PREFIX.length()).trim()
                        .split(" ")).map(Integer::valueOf).toList();
                return new ServerProcess(process, ports, String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))));
            }
        }
        process.destroyForcibly();
        throw new IOException("The server exited before printing its port: " + cmd);
    }

    public int port() {
        return ports.get(0);
    }

    /** Every port it listens on: one unless started with {@code -Dload.server.ports=N}. */
    public List<Integer> ports() {
        return ports;
    }

    /** taskset and java with the server's JVM flags, for the report (class path left out). */
    String command() {
        return command;
    }

    /** The server's CPU time so far, in clock ticks, or -1 without {@code /proc}. */
    long cpuTicks() {
        return ProcStat.processTicks(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already gone; the wait below settles it.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
