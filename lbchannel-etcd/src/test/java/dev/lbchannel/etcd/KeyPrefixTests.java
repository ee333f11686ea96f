package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The key range of a prefix, as etcd's clientv3.WithPrefix computes it. */
@Timeout(10)
class KeyPrefixTests {

    @Test
    void rangeCoversKeysUnderThePrefixSlashOnly() {
        KeyPrefix prefix = KeyPrefix.of("/services/orders/");

        assertThat(prefix.name()).isEqualTo("services/orders");
        assertThat(prefix.key().toStringUtf8()).isEqualTo("services/orders/");
        // '/' + 1 is '0': services/orders-v2/... is outside the range.
        assertThat(prefix.rangeEnd().toStringUtf8()).isEqualTo("services/orders0");
        assertThat(prefix.lastSegment()).isEqualTo("orders");
    }

    @Test
    void trailingMaxBytesAreDroppedBeforeIncrementing() {
        KeyPrefix prefix = new KeyPrefix("a\u00ff");

        // "a" + UTF-8 c3 bf + "/" : the last byte '/' increments.
        assertThat(prefix.rangeEnd()).isEqualTo(ByteString.copyFrom(new byte[] {'a', (byte) 0xc3, (byte) 0xbf, '0'}));
    }

    @Test
    void emptyPrefixIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeyPrefix.of("/"))
                .withMessageContaining("prefix is empty");
    }
}
