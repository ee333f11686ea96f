package dev.lbchannel.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a grpc-java server sent on one connection, from its first byte to its last, in the
 * pieces the client's socket reads returned them. Stored as a resource in this package: per
 * piece a 4-byte big-endian length, then the piece. {@link FrameCapture} writes them;
 * {@link FrameReaderBenchmark} replays them.
 */
final class CapturedStream {

    private static final String RESOURCE_DIR = "frames/";

    private final String name;
    private final List<byte[]> chunks;

    CapturedStream(String name, List<byte[]> chunks) {
        this.name = name;
        this.chunks = List.copyOf(chunks);
    }

    /** The capture called {@code name} ({@code unary}, {@code streaming}, {@code large}). */
    static CapturedStream load(String name) {
        String resource = RESOURCE_DIR + name + ".chunks";
        try (InputStream in = CapturedStream.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No captured stream '" + name + "' (resource " + resource
                        + "); run FrameCapture to record it");
            }
            return new CapturedStream(name, read(new DataInputStream(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> read(DataInputStream in) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                return chunks;
            }
            byte[] chunk = new byte[length];
            in.readFully(chunk);
            chunks.add(chunk);
        }
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (OutputStream file = Files.newOutputStream(directory.resolve(name + ".chunks"));
                DataOutputStream out = new DataOutputStream(file)) {
            for (byte[] chunk : chunks) {
                out.writeInt(chunk.length);
                out.write(chunk);
            }
        }
    }

    String name() {
        return name;
    }

    List<byte[]> chunks() {
        return chunks;
    }

    /** All the pieces in one array. */
    byte[] whole() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
