package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.samples.resolver.EndpointsFileConfiguration;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code samples/custom-resolver.yml}: the {@code file} scheme from
 * {@link EndpointsFileConfiguration}, resolving an endpoints file the test writes and rewrites.
 */
@Timeout(60)
class CustomResolverSampleTests {

    private final TestBackend first = TestBackend.plaintext();
    private final TestBackend second = TestBackend.plaintext();
    private final TestBackend third = TestBackend.plaintext();

    @TempDir
    Path directory;

    private Path endpoints;
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        first.close();
        second.close();
        third.close();
    }

    @Test
    void theChannelCallsTheBackendsTheFileLists() throws IOException {
        LbChannel catalog = start(List.of(), first, second);
        ChannelConditions.awaitReadySubchannels(catalog, 2);
        sample.servedBy().reset();

        for (int i = 0; i < 10; i++) {
            call(catalog);
        }

        assertThat(served(first)).isEqualTo(5);
        assertThat(served(second)).isEqualTo(5);
        assertThat(served(third)).isZero();
        // The scheme's default authority: the file's name without its extension.
        assertThat(catalog.authority()).isEqualTo("catalog");
    }

    @Test
    void anEditReachesTheChannelWhenItAsksForAFreshResolution() throws IOException {
        // Polling off: only the channel's refresh can bring the edit in.
        LbChannel catalog = start(List.of("endpoints-file.poll-interval=0"), first);
        call(catalog);

        write(third);
        catalog.refreshResolution();

        Await.until("the channel to use the edited file", () -> addresses(catalog).equals(List.of(address(third))));
        sample.servedBy().reset();
        call(catalog);
        assertThat(served(third)).isEqualTo(1);
    }

    @Test
    void anEditReachesTheChannelOnTheNextPoll() throws IOException {
        LbChannel catalog = start(List.of(), first);
        call(catalog);

        write(second, third);

        // The sample polls every 5 s; the edit arrives within one poll.
        Await.until("the channel to use the edited file",
                () -> addresses(catalog).containsAll(List.of(address(second), address(third)))
                        && addresses(catalog).size() == 2);
        ChannelConditions.awaitReadySubchannels(catalog, 2);
        sample.servedBy().reset();
        call(catalog);
        call(catalog);
        assertThat(served(second)).isEqualTo(1);
        assertThat(served(third)).isEqualTo(1);
        assertThat(served(first)).isZero();
    }

    @Test
    void callsFailNamingAMissingFileUntilItAppears() throws IOException {
        LbChannel catalog = start(List.of());

        assertThatThrownBy(() -> call(catalog)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains(endpoints.toString());
        });
        write(first);

        // The channel keeps asking the resolver again, with backoff, after an error.
        Await.until("a call served by the backend the new file lists", () -> {
            try {
                call(catalog);
            } catch (StatusRuntimeException e) {
                return false;
            }
            return served(first) == 1;
        });
    }

    private LbChannel start(List<String> extra, TestBackend... backends) throws IOException {
        endpoints = directory.resolve("catalog.endpoints");
        if (backends.length > 0) {
            write(backends);
        }
        String[] properties = new String[extra.size() + 1];
        properties[0] = "catalog.endpoints-file=" + endpoints;
        for (int i = 0; i < extra.size(); i++) {
            properties[i + 1] = extra.get(i);
        }
        sample = Sample.start("custom-resolver", List.of(EndpointsFileConfiguration.class), properties);
        return sample.channel("catalog");
    }

    private void write(TestBackend... backends) throws IOException {
        StringBuilder text = new StringBuilder("# catalog replicas, written by the test\n\n");
        Arrays.stream(backends).forEach(b -> text.append(address(b)).append('\n'));
        // Write beside and move, as deployment tooling should, so a poll never reads half a file.
        Path temporary = Files.writeString(directory.resolve("catalog.endpoints.tmp"), text);
        Files.move(temporary, endpoints, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> addresses(LbChannel channel) {
        return channel.snapshot().subchannels().stream().flatMap(s -> s.addresses().stream()).toList();
    }

    private static String address(TestBackend backend) {
        return "127.0.0.1:" + backend.port();
    }

    private int served(TestBackend backend) {
        return sample.servedBy().served(address(backend));
    }

    private static void call(LbChannel channel) {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }
}
