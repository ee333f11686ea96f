package dev.lbchannel.benchmarks.load;

/**
 * One closed-loop load shape: {@code concurrency} calls always outstanding, each a unary call
 * carrying {@code payloadBytes} each way, or a server-streaming call answered with
 * {@code messagesPerCall} messages of {@code payloadBytes}. Immutable.
 */
record Workload(boolean streaming, int concurrency, int payloadBytes, int messagesPerCall) {

    static Workload unary(int concurrency, int payloadBytes) {
        return new Workload(false, concurrency, payloadBytes, 1);
    }

    static Workload serverStreaming(int concurrency, int payloadBytes, int messagesPerCall) {
        return new Workload(true, concurrency, payloadBytes, messagesPerCall);
    }

    /** Parses {@code unary:64:16} or {@code stream:16:16:100} (concurrency, bytes, messages). */
    static Workload parse(String spec) {
        String[] p = spec.split(":");
        try {
            if (p[0].equals("unary") && p.length == 3) {
                return unary(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
            if (p[0].equals("stream") && p.length == 4) {
                return serverStreaming(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
            }
        } catch (NumberFormatException e) {
            // Falls through to the message naming the accepted forms.
        }
        throw new IllegalArgumentException("Bad workload '" + spec + "'; use unary:CONCURRENCY:BYTES or "
                + "stream:CONCURRENCY:BYTES:MESSAGES");
    }

    /** What one counted operation is: a unary call or one streamed message. */
    String unit() {
        return streaming ? "msg" : "call";
    }

    String title() {
        String size = payloadBytes >= 1024 && payloadBytes % 1024 == 0 ? payloadBytes / 1024 + " KiB" : payloadBytes + " B";
        return streaming
                ? "Server streaming, " + concurrency + " streams, " + messagesPerCall + " × " + size + " per call"
                : "Unary, concurrency " + concurrency + ", " + size + " each way";
    }

    String spec() {
        return streaming ? "stream:" + concurrency + ":" + payloadBytes + ":" + messagesPerCall
                : "unary:" + concurrency + ":" + payloadBytes;
    }
}
