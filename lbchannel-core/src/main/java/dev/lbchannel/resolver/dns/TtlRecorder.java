package dev.lbchannel.resolver.dns;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.resolver.dns.DnsCache;
import io.netty.resolver.dns.DnsCacheEntry;
import io.netty.resolver.dns.DnsCnameCache;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.util.List;

/**
 * Netty's address and CNAME caches, turned into a recorder: it caches nothing (every lookup asks
 * a server, as {@link DnsLookup} promises) but remembers the smallest TTL of the records Netty
 * would have cached, which is the smallest TTL of the answer, CNAMEs included. Netty hands every
 * A, AAAA and CNAME record of a resolution to its caches before the resolution completes, so
 * {@link #takeSmallestTtlSeconds()} right after the addresses arrive gives that answer's TTL.
 * Answers from the hosts file carry no TTL and record nothing.
 *
 * <p>Threading: confined to the lookup's event loop, where Netty calls it.
 */
final class TtlRecorder implements DnsCache, DnsCnameCache {

    /** No record seen since the last take. */
    static final long NONE = -1;

    private long smallestTtlSeconds = NONE;

    /** The smallest TTL recorded since the last call, in seconds, or {@link #NONE}; then forgets it. */
    long takeSmallestTtlSeconds() {
        long smallest = smallestTtlSeconds;
        smallestTtlSeconds = NONE;
        return smallest;
    }

    private void record(long ttlSeconds) {
        if (smallestTtlSeconds == NONE || ttlSeconds < smallestTtlSeconds) {
            smallestTtlSeconds = Math.max(0, ttlSeconds);
        }
    }

    @Override
    public DnsCacheEntry cache(String hostname, DnsRecord @Nullable [] additionals, InetAddress address,
            long originalTtl, EventLoop loop) {
        record(originalTtl);
        return new Entry(address, null);
    }

    @Override
    public DnsCacheEntry cache(String hostname, DnsRecord @Nullable [] additionals, Throwable cause, EventLoop loop) {
        return new Entry(null, cause);
    }

    @Override
    public void cache(String hostname, String cname, long originalTtl, EventLoop loop) {
        record(originalTtl);
    }

    @Override
    public @Nullable List<? extends DnsCacheEntry> get(String hostname, DnsRecord @Nullable [] additionals) {
        return null;
    }

    @Override
    public @Nullable String get(String hostname) {
        return null;
    }

    @Override
    public void clear() {
    }

    @Override
    public boolean clear(String hostname) {
        return false;
    }

    private record Entry(@Nullable InetAddress address, @Nullable Throwable cause) implements DnsCacheEntry {
    }
}
