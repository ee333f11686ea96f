package dev.lbchannel.benchmarks.load;

/**
 * One closed-loop load shape: {@code concurrency} calls always outstanding, each a unary call
 * carrying {@code payloadBytes} each way, a server-streaming call answered with
 * {@code messagesPerCall} messages of {@code payloadBytes}, or a bidi call played ping-pong for
 * {@code messagesPerCall} exchanges of {@code payloadBytes} each way. Immutable.
 */
record Workload(Shape shape, int concurrency, int payloadBytes, int messagesPerCall) {

    Workload {
        if (concurrency < 1 || payloadBytes < 0 || messagesPerCall < 1) {
            throw new IllegalArgumentException("Bad workload: concurrency " + concurrency + ", " + payloadBytes
                    + " bytes, " + messagesPerCall + " messages per call; need at least 1 call, 0 bytes, 1 message");
        }
    }

    /** The kind of call a workload keeps outstanding, with its prefix in a spec string. */
    enum Shape {
        UNARY("unary"),
        SERVER_STREAMING("stream"),
        /** {@code fullDuplexCall}: one request, then its one response, {@code messagesPerCall} times. */
        BIDI("bidi");

        final String prefix;

        Shape(String prefix) {
            this.prefix = prefix;
        }
    }

    static Workload unary(int concurrency, int payloadBytes) {
        return new Workload(Shape.UNARY, concurrency, payloadBytes, 1);
    }

    static Workload serverStreaming(int concurrency, int payloadBytes, int messagesPerCall) {
        return new Workload(Shape.SERVER_STREAMING, concurrency, payloadBytes, messagesPerCall);
    }

    static Workload bidi(int concurrency, int payloadBytes, int messagesPerCall) {
        return new Workload(Shape.BIDI, concurrency, payloadBytes, messagesPerCall);
    }

    /**
     * Parses {@code unary:64:16}, {@code stream:16:16:100} or {@code bidi:16:16:100}
     * (concurrency, bytes, messages).
     */
    static Workload parse(String spec) {
        String[] p = spec.split(":");
        try {
            if (p[0].equals(Shape.UNARY.prefix) && p.length == 3) {
                return unary(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
            if (p[0].equals(Shape.SERVER_STREAMING.prefix) && p.length == 4) {
                return serverStreaming(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
            }
            if (p[0].equals(Shape.BIDI.prefix) && p.length == 4) {
                return bidi(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
            }
        } catch (NumberFormatException e) {
            // Falls through to the message naming the accepted forms.
        }
        throw new IllegalArgumentException("Bad workload '" + spec + "'; use unary:CONCURRENCY:BYTES, "
                + "stream:CONCURRENCY:BYTES:MESSAGES or bidi:CONCURRENCY:BYTES:MESSAGES");
    }

    /** What one counted operation is: a unary call, or one message received on a stream. */
    String unit() {
        return shape == Shape.UNARY ? "call" : "msg";
    }

    /** The heading of the workload's table; BENCHMARKS.md's sections are keyed by it, so it stays stable. */
    String title() {
        String size = payloadBytes >= 1024 && payloadBytes % 1024 == 0 ? payloadBytes / 1024 + " KiB" : payloadBytes + " B";
        return switch (shape) {
            case UNARY -> "Unary, concurrency " + concurrency + ", " + size + " each way";
            case SERVER_STREAMING ->
                    "Server streaming, " + concurrency + " streams, " + messagesPerCall + " × " + size + " per call";
            case BIDI -> "Bidi streaming (ping-pong), " + concurrency + " streams, " + messagesPerCall + " × " + size
                    + " each way per call";
        };
    }

    /** The form {@link #parse} reads. */
    String spec() {
        return shape == Shape.UNARY ? shape.prefix + ":" + concurrency + ":" + payloadBytes
                : shape.prefix + ":" + concurrency + ":" + payloadBytes + ":" + messagesPerCall;
    }
}
