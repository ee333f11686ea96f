package dev.lbchannel.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed programs that fixtures run as child processes (dnsmasq, etcd): finding one,
 * signalling it, and keeping what it prints for failure messages.
 */
public final class Executables {

    private Executables() {
    }

    /**
     * The program {@code name}, looked for in {@code locations} and then on the PATH. When it is
     * absent the test is skipped (a JUnit assumption), except with {@code CI=true}, where it fails:
     * CI installs {@code debianPackage}.
     *
     * @param purpose what needs it, for the messages, such as "DNS tests"
     */
    public static Path require(String name, List<String> locations, String debianPackage, String purpose) {
        List<Path> candidates = new ArrayList<>(locations.stream().map(Path::of).toList());
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(name + " is required in CI (apt-get install " + debianPackage + "); looked in "
                    + candidates);
        }
        Assumptions.abort(name + " is not installed; " + purpose + " need it (apt-get install " + debianPackage + ")");
        throw new AssertionError("unreachable");
    }

    /** Sends {@code signal} ({@code HUP}, {@code STOP}, {@code CONT}) to {@code process} by its PID, and fails if kill does. */
    public static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Adds each line {@code process} prints (output and, if redirected there, errors) to {@code log}, on a daemon thread. */
    public static void captureOutput(Process process, List<String> log, String threadName) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.add(line);
                }
            } catch (IOException e) {
                log.add("(log closed: " + e + ")");
            }
        }, threadName + "-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }
}
