package dev.lbchannel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Netty's JFR allocation events are off unless the application chose (issue 18, cold start). */
@Timeout(10)
class NettyJfrEventsTests {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(NettyJfrEvents.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(NettyJfrEvents.PROPERTY);
        } else {
            System.setProperty(NettyJfrEvents.PROPERTY, saved);
        }
    }

    @Test
    void anUnsetPropertyBecomesFalse() {
        System.clearProperty(NettyJfrEvents.PROPERTY);
        NettyJfrEvents.offUnlessConfigured();
        assertThat(System.getProperty(NettyJfrEvents.PROPERTY)).isEqualTo("false");
    }

    @Test
    void theApplicationsChoiceStands() {
        System.setProperty(NettyJfrEvents.PROPERTY, "true");
        NettyJfrEvents.offUnlessConfigured();
        assertThat(System.getProperty(NettyJfrEvents.PROPERTY)).isEqualTo("true");
    }
}
