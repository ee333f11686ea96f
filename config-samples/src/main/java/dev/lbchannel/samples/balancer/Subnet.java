package dev.lbchannel.samples.balancer;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.20.0.0/16}, {@code fd00:20::/32}). Bits
 * of the address beyond the prefix are ignored. Immutable.
 */
final class Subnet {

    /** The network address with every bit beyond the prefix cleared. */
    private final byte[] network;
    private final int prefixLength;

    private Subnet(byte[] address, int prefixLength) {
        this.prefixLength = prefixLength;
        this.network = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            network[i] = (byte) (address[i] & mask(i));
        }
    }

    /**
     * Parses {@code cidr}. Only IP literals are accepted, so parsing never looks a name up.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    static Subnet parse(String cidr) {
        requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw invalid(cidr, "expected address/prefix-length, like 10.20.0.0/16");
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(cidr.substring(0, slash));
        if (address == null) {
            throw invalid(cidr, "'" + cidr.substring(0, slash) + "' is not an IP address");
        }
        int prefixLength;
        try {
            prefixLength = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw invalid(cidr, "the prefix length is not a number");
        }
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw invalid(cidr, "the prefix length must be from 0 to " + address.length * 8);
        }
        return new Subnet(address, prefixLength);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false; // IPv4 never matches an IPv6 network, nor the reverse
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & mask(i)) != (network[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** The prefix's bits within byte {@code index} of an address. */
    private int mask(int index) {
        int bits = Math.max(0, Math.min(8, prefixLength - index * 8));
        return (0xff << (8 - bits)) & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subnet other && other.prefixLength == prefixLength && Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: parse checked the length
        }
    }

    private static IllegalArgumentException invalid(String cidr, String why) {
        return new IllegalArgumentException("Invalid subnet '" + cidr + "': " + why);
    }
}
