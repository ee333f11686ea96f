package dev.lbchannel.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The installed programs that fixtures run as child processes (dnsmasq, etcd): finding one, and
 * keeping what it prints for failure messages.
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
