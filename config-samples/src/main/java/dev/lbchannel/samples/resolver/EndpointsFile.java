package dev.lbchannel.samples.resolver;

import dev.lbchannel.target.HostAndPort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints file format: one {@code host:port} (or {@code [v6]:port}, or a host alone for the
 * channel's default port) per line; {@code #} starts a comment; blank lines are ignored.
 *
 * <pre>
 * # catalog replicas, written by the deploy job
 * 10.0.8.11:9090
 * 10.0.8.12:9090
 * catalog-canary.internal:9090
 * </pre>
 *
 * Stateless.
 */
final class EndpointsFile {

    private EndpointsFile() {
    }

    /**
     * Reads and parses {@code file}; blocks on file I/O.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the file and line of an entry that does not parse,
     *     or when the file lists no endpoint
     */
    static List<HostAndPort> read(Path file, int defaultPort) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), defaultPort, file.toString());
    }

    /** Parses lines read from {@code source} (named in error messages). */
    static List<HostAndPort> parse(List<String> lines, int defaultPort, String source) {
        List<HostAndPort> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = withoutComment(lines.get(i)).strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                entries.add(HostAndPort.parse(entry, defaultPort));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no endpoints; write one host:port per line");
        }
        return entries;
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
