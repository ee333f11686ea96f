package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code samples/static-pick-first.yml}: a primary and a standby listed in a static target. */
@Timeout(60)
class StaticPickFirstSampleTests {

    private final TestBackend primary = TestBackend.plaintext();
    private final TestBackend standby = TestBackend.plaintext();
    private Sample sample;
    private LbChannel ledger;

    @BeforeEach
    void start() {
        sample = Sample.start("static-pick-first", "ledger.primary=127.0.0.1:" + primary.port(),
                "ledger.standby=127.0.0.1:" + standby.port());
        ledger = sample.channel("ledger");
    }

    @AfterEach
    void stop() {
        sample.close();
        primary.close();
        standby.close();
    }

    @Test
    void connectsAtStartupAndSendsEveryCallToThePrimary() {
        // connect-on-startup: start-up returned only once the channel was READY, before any call.
        assertThat(ledger.getState(false)).isEqualTo(ConnectivityState.READY);

        for (int i = 0; i < 20; i++) {
            call();
        }

        assertThat(served(primary)).isEqualTo(20);
        assertThat(served(standby)).isZero();
        assertThat(ledger.snapshot().lbPolicy()).isEqualTo("pick_first");
        assertThat(ledger.snapshot().subchannels()).hasSize(1);
    }

    @Test
    void movesToTheStandbyWhenThePrimaryIsLostAndStaysThere() {
        call();
        primary.kill();

        Await.until("a call served by the standby", () -> {
            try {
                call();
            } catch (StatusRuntimeException e) {
                return false; // the call that met the lost connection; the next one reconnects
            }
            return served(standby) > 0;
        });
        primary.restart();
        sample.servedBy().reset();
        for (int i = 0; i < 10; i++) {
            call();
        }

        assertThat(served(standby)).isEqualTo(10);
        assertThat(served(primary)).isZero();
    }

    private void call() {
        TestServiceGrpc.newBlockingStub(ledger).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }

    private int served(TestBackend backend) {
        return sample.servedBy().served("127.0.0.1:" + backend.port());
    }
}
