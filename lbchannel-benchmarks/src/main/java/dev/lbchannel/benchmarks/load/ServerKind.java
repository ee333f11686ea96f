package dev.lbchannel.benchmarks.load;

/**
 * The server JVM a harness run measures the clients against ({@code --server}), with the
 * BENCHMARKS.md section its report rewrites: each server has its own, so a run against one
 * leaves the other's figures in place.
 */
enum ServerKind {

    /** grpc-java's own server: what a client meets in production, and the bottleneck at high load on one core. */
    GRPC_JAVA("grpc-java", LoadServer.class, MarkdownReport.SECTION,
            "Side by side with grpc-java (load harness)",
            "grpc-java " + io.grpc.internal.GrpcUtil.IMPLEMENTATION_VERSION
                    + " `NettyServerBuilder`, `TestServiceImpl`, `directExecutor()`, loopback",
            "`lbchannel-benchmarks/run-quick.sh` (about 9 minutes with the build) or\n"
                    + "`lbchannel-benchmarks/run-full.sh` (about 80 minutes: JMH 25, this harness 55)"),
    /** {@link CannedServer}: far cheaper per call than either client, so the clients' own ceilings show. */
    CANNED("canned", CannedServer.class, MarkdownReport.SECTION + "-canned",
            "Side by side with grpc-java, the client the bottleneck (load harness, `--server canned`)",
            "Netty's HTTP/2 codec answering the same three methods from cached frames, no gRPC server stack, "
                    + "one event loop, loopback",
            "`lbchannel-benchmarks/run-canned.sh` (about 4 minutes with the build)");

    private final String id;
    final Class<?> main;
    final String section;
    final String heading;
    final String description;
    final String reproduce;

    ServerKind(String id, Class<?> main, String section, String heading, String description, String reproduce) {
        this.id = id;
        this.main = main;
        this.section = section;
        this.heading = heading;
        this.description = description;
        this.reproduce = reproduce;
    }

    /** The script that runs the harness against this server with {@code preset}'s settings. */
    String script(String preset) {
        return this == CANNED ? "run-canned.sh" : "run-" + preset + ".sh";
    }

    static ServerKind byId(String id) {
        for (ServerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown server '" + id + "'; use grpc-java or canned");
    }
}
