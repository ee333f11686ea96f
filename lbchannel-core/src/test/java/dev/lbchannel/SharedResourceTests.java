package dev.lbchannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reference counting of what channels share: created by the first user, destroyed after the last. */
@Timeout(10)
class SharedResourceTests {

    private final List<Object> created = new ArrayList<>();
    private final List<Object> destroyed = new ArrayList<>();
    private final SharedResource<Object> shared = new SharedResource<>(() -> {
        Object made = new Object();
        created.add(made);
        return made;
    }, destroyed::add);

    @Test
    void usersShareOneInstanceUntilTheLastReleasesIt() {
        Object first = shared.acquire();
        Object second = shared.acquire();
        assertThat(second).isSameAs(first);
        assertThat(shared.users()).isEqualTo(2);

        shared.release(first);
        assertThat(destroyed).isEmpty();
        shared.release(second);
        assertThat(destroyed).containsExactly(first);
        assertThat(shared.users()).isZero();
    }

    @Test
    void acquiringAfterTheLastReleaseCreatesANewOne() {
        Object first = shared.acquire();
        shared.release(first);

        Object next = shared.acquire();

        assertThat(next).isNotSameAs(first);
        assertThat(created).containsExactly(first, next);
    }

    @Test
    void releasingAStaleInstanceLeavesTheCurrentOneAlone() {
        Object old = shared.acquire();
        shared.release(old);
        Object current = shared.acquire();

        shared.release(old);

        assertThat(shared.users()).isEqualTo(1);
        assertThat(destroyed).containsExactly(old);
        shared.release(current);
        assertThat(destroyed).containsExactly(old, current);
    }
}
