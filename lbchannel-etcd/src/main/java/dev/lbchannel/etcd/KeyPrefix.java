package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;

/**
 * The key range of one naming prefix: every key that starts with {@code <prefix>/}, as etcd's Go
 * {@code endpoints.Manager} lists and watches it. Immutable.
 *
 * @param name the prefix as the target names it, without leading or trailing slashes
 */
record KeyPrefix(String name) {

    /** The prefix of {@code etcd:///services/orders}: {@code services/orders}. */
    static KeyPrefix of(String targetEndpoint) {
        String name = targetEndpoint;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the key prefix is empty; name one, like etcd:///services/orders");
        }
        return new KeyPrefix(name);
    }

    /** The first key of the range: {@code <prefix>/}. */
    ByteString key() {
        return ByteString.copyFrom(name + "/", StandardCharsets.UTF_8);
    }

    /**
     * The end of the range, exclusive: the key with its last byte incremented, as etcd's
     * {@code clientv3.GetPrefixRangeEnd} computes it ({@code '/' + 1} is {@code '0'}).
     */
    ByteString rangeEnd() {
        byte[] end = key().toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        // Only 0xff bytes: every key from the start on, etcd's "\0" range end.
        return ByteString.copyFrom(new byte[] {0});
    }

    /** The part of the prefix after its last slash, used as the default authority. */
    String lastSegment() {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
