package dev.lbchannel.benchmarks.fresh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ClassLoadCountsTests {

    @Test
    void groupsByThreePackageNamesPastGrpcJavasRelocation() {
        assertThat(ClassLoadCounts.group("io.netty.handler.codec.http2.HpackDecoder")).isEqualTo("io.netty.handler");
        assertThat(ClassLoadCounts.group("io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator"))
                .isEqualTo("(shaded) io.netty.buffer");
        assertThat(ClassLoadCounts.group("java.lang.String")).isEqualTo("java.lang");
        assertThat(ClassLoadCounts.group("Main")).isEqualTo("(default package)");
    }

    @Test
    void readsAnUndecoratedClassLoadLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        Files.writeString(log, """
                java.lang.Object source: shared objects file
                java.lang.String source: shared objects file
                jdk.jfr.internal.JVM source: jrt:/jdk.jfr
                """);
        ClassLoadCounts other = ClassLoadCounts.read(log);
        Files.writeString(log, "java.lang.Object source: shared objects file\n");
        ClassLoadCounts fewer = ClassLoadCounts.read(log);

        assertThat(other.total()).isEqualTo(3);
        assertThat(other.largest(1)).containsEntry("java.lang", 2);
        assertThat(other.jdkGroupsBeyond(fewer)).containsExactly("java.lang 2 vs 1", "jdk.jfr.internal 1 vs 0");
    }
}
