package dev.lbchannel.resolver.dns;

import dev.lbchannel.transport.IoTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DNS queries of one resolver, on Netty's asynchronous {@link DnsNameResolver}: the A and
 * AAAA records of a host with the smallest TTL of the answer, and the TXT records of a name. It
 * keeps no cache, so every call asks a server; the resolver's rate limit decides how often that
 * happens.
 *
 * <p>With the system's DNS servers it behaves as the host's resolver does: the hosts file first,
 * then the servers and search domains of {@code /etc/resolv.conf}. With an explicit server it
 * asks that server only, for exactly the name given.
 *
 * <p>Addresses come in the JVM's preference: IPv4 first, IPv6 first when
 * {@code java.net.preferIPv6Addresses=true}, IPv4 only when {@code java.net.preferIPv4Stack=true}.
 *
 * <p>Threading: create it off the event loop (the first creation in a JVM reads the system's
 * resolver files); call it and close it on its loop; its futures complete on that loop.
 */
final class DnsLookup implements AutoCloseable {

    /** A host's addresses and the smallest TTL of the records that gave them, or {@link TtlRecorder#NONE}. */
    record Answer(List<InetAddress> addresses, long ttlSeconds) {
    }

    private final DnsNameResolver resolver;
    private final TtlRecorder ttls;

    private DnsLookup(DnsNameResolver resolver, TtlRecorder ttls) {
        this.resolver = resolver;
        this.ttls = ttls;
    }

    /**
     * @param server the one DNS server to ask, or {@code null} for the system's configuration
     */
    static DnsLookup create(EventLoop loop, @Nullable InetSocketAddress server, Duration queryTimeout) {
        TtlRecorder ttls = new TtlRecorder();
        // The channel types must be those the loop runs (epoll's on an epoll loop).
        IoTransport io = IoTransport.forLoops(loop);
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelType(io.datagramChannelType())
                // Answers too big for UDP (a long TXT config) are asked again over TCP.
                .socketChannelType(io.socketChannelType())
                .queryTimeoutMillis(Math.max(1, queryTimeout.toMillis()))
                .resolvedAddressTypes(addressTypes())
                // Caches that keep nothing but the answer's TTL.
                .resolveCache(ttls)
                .cnameCache(ttls)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE);
        if (server != null) {
            builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(server))
                    .searchDomains(List.of())
                    .hostsFileEntriesResolver((name, types) -> null);
        }
        return new DnsLookup(builder.build(), ttls);
    }

    private static ResolvedAddressTypes addressTypes() {
        if (NetUtil.isIpV4StackPreferred()) {
            return ResolvedAddressTypes.IPV4_ONLY;
        }
        return NetUtil.isIpV6AddressesPreferred() ? ResolvedAddressTypes.IPV6_PREFERRED
                : ResolvedAddressTypes.IPV4_PREFERRED;
    }

    /**
     * Every address of {@code host}, with the answer's smallest TTL (none for a hosts-file entry);
     * fails (with Netty's {@code UnknownHostException}) when the name does not exist, has no
     * addresses, or no server answered in time. Completes on the loop. One at a time: the TTL
     * recorded is that of every record Netty saw since the call.
     */
    CompletableFuture<Answer> addresses(String host) {
        ttls.takeSmallestTtlSeconds();
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Future<List<InetAddress>> query = resolver.resolveAll(host);
        query.addListener(done -> {
            if (query.isSuccess()) {
                result.complete(new Answer(query.getNow(), ttls.takeSmallestTtlSeconds()));
            } else {
                result.completeExceptionally(query.cause());
            }
        });
        return result;
    }

    /**
     * The TXT records of {@code name}, each record's character-strings joined into one string.
     * Completes with an empty list when the name does not exist or has no TXT records, and
     * exceptionally when the server failed or did not answer in time.
     */
    CompletableFuture<List<String>> txt(String name) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query =
                resolver.query(new DefaultDnsQuestion(name, DnsRecordType.TXT));
        query.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(done.cause());
                return;
            }
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = query.getNow();
            try {
                result.complete(txtRecords(envelope.content()));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                envelope.release();
            }
        });
        return result;
    }

    private static List<String> txtRecords(DnsResponse response) throws IOException {
        DnsResponseCode code = response.code();
        if (code.equals(DnsResponseCode.NXDOMAIN)) {
            return List.of();
        }
        if (!code.equals(DnsResponseCode.NOERROR)) {
            throw new IOException("the DNS server answered " + code);
        }
        List<String> records = new ArrayList<>();
        int count = response.count(DnsSection.ANSWER);
        for (int i = 0; i < count; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (record.type().equals(DnsRecordType.TXT) && record instanceof DnsRawRecord raw) {
                records.add(joinStrings(raw.content()));
            }
        }
        return records;
    }

    /** TXT RDATA is a sequence of length-prefixed character-strings (RFC 1035 3.3.14). */
    private static String joinStrings(ByteBuf rdata) throws IOException {
        ByteBuf in = rdata.duplicate();
        ByteArrayOutputStream joined = new ByteArrayOutputStream(in.readableBytes());
        while (in.isReadable()) {
            int length = in.readUnsignedByte();
            if (length > in.readableBytes()) {
                throw new IOException("a TXT record is malformed: a string runs past the record's end");
            }
            byte[] bytes = new byte[length];
            in.readBytes(bytes);
            joined.write(bytes);
        }
        // Joined before decoding, so a UTF-8 character split across two strings survives.
        return joined.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        resolver.close();
    }
}
