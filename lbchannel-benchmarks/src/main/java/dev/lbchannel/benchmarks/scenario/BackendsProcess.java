package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.benchmarks.ProcStat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ScenarioBackends} JVM as the harness sees it: started with the harness's own java
 * and class path (pinned with {@code taskset -c <cpu>} when asked and available), its ports, and
 * {@link #command}, which returns once the backends have applied a change. {@link #close()}
 * closes its standard input, which stops it. Owned by the harness thread.
 */
final class BackendsProcess implements AutoCloseable {

    private final Process process;
    private final List<Integer> ports;
    private final BufferedReader replies;
    private final Writer commands;
    private final String commandLine;

    private BackendsProcess(Process process, List<Integer> ports, BufferedReader replies, String commandLine) {
        this.process = process;
        this.ports = ports;
        this.replies = replies;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.commandLine = commandLine;
    }

    /** @param cpu the CPU to pin the backends to, or -1 for none */
    static BackendsProcess start(int count, int cpu, List<String> jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("/usr/bin/taskset", "-c", Integer.toString(cpu)));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScenarioBackends.class.getName(),
                Integer.toString(count)));
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(ScenarioBackends.PORTS_LINE_PREFIX)) {
                List<Integer> ports = Arrays.stream(line.substring(ScenarioBackends.PORTS_LINE_PREFIX.length()).split(","))
                        .map(String::trim).map(Integer::valueOf).toList();
                String shown = String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))) + " ScenarioBackends " + count;
                return new BackendsProcess(process, ports, out, shown);
            }
        }
        process.destroyForcibly();
        throw new IOException("The backends exited before printing their ports: " + cmd);
    }

    List<Integer> ports() {
        return ports;
    }

    /** The backends' command line for the report (class path left out). */
    String commandLine() {
        return commandLine;
    }

    /** The backends' CPU time so far, in clock ticks, or -1 without {@code /proc}. */
    long cpuTicks() {
        return ProcStat.processTicks(process.pid());
    }

    /** Sends one control command and waits until the backends have applied it. */
    void command(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
        String reply = replies.readLine();
        if (!"OK".equals(reply)) {
            throw new IOException("The backends refused '" + line + "': " + reply);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // Already gone; the wait below settles it.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
