package dev.lbchannel.etcd;

import dev.lbchannel.config.Json;
import dev.lbchannel.target.HostAndPort;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One value of etcd's gRPC naming format, as etcd's Go {@code endpoints.Manager} writes it under
 * {@code <prefix>/<id>}: the JSON object {@code {"Op":0,"Addr":"10.0.0.7:8443","Metadata":...}}.
 * {@code Op} 0 (or absent) adds the address, 1 deletes it (grpc-go's old {@code naming.Update}
 * form, which the format still carries); {@code Metadata} is any JSON value, kept as parsed.
 * Field names match in any case, as Go's {@code encoding/json} matches them.
 *
 * <p>Errors name the problem and may quote the address, never the metadata: metadata values stay
 * out of logs and statuses. Immutable.
 *
 * @param delete whether the value asks to remove the key's endpoint ({@code "Op":1})
 * @param address the endpoint's address; unresolved for a host name, which the transport looks up
 * @param metadata the parsed {@code Metadata} (map, list, string, number, boolean), or {@code null}
 */
record NamingValue(boolean delete, @Nullable InetSocketAddress address, @Nullable Object metadata) {

    private static final int ADD = 0;
    private static final int DELETE = 1;

    /**
     * Parses one key's value.
     *
     * @throws IllegalArgumentException naming what is wrong: not UTF-8 or not a JSON object, an
     *     unknown {@code Op}, a missing or malformed {@code Addr} on an add
     */
    static NamingValue parse(byte[] value) {
        String text = utf8(value);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            // Json's message quotes the text, which may hold metadata.
            throw new IllegalArgumentException("the value is not JSON");
        }
        if (!(parsed instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("the value must be a JSON object with an \"Addr\" field");
        }
        int op = op(field(fields, "op"));
        Object metadata = field(fields, "metadata");
        if (op == DELETE) {
            return new NamingValue(true, null, metadata);
        }
        if (!(field(fields, "addr") instanceof String addr) || addr.isEmpty()) {
            throw new IllegalArgumentException("\"Addr\" must be a non-empty string host:port");
        }
        return new NamingValue(false, address(addr), metadata);
    }

    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the value is not UTF-8 text");
        }
    }

    private static @Nullable Object field(Map<?, ?> fields, String lowerCaseName) {
        // Go's encoding/json prefers an exact match, then any case; the Go writer uses "Addr".
        for (Map.Entry<?, ?> entry : fields.entrySet()) {
            if (entry.getKey() instanceof String name && name.toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static int op(@Nullable Object op) {
        if (op == null) {
            return ADD;
        }
        if (op instanceof Double number && (number == ADD || number == DELETE)) {
            return number.intValue();
        }
        throw new IllegalArgumentException("\"Op\" must be 0 (add) or 1 (delete)");
    }

    private static InetSocketAddress address(String addr) {
        HostAndPort hostAndPort = HostAndPort.parse(addr, 0);
        if (hostAndPort.port() == 0) {
            throw new IllegalArgumentException("\"Addr\" '" + addr + "' needs a port from 1 to 65535, like 10.0.0.7:8443");
        }
        return hostAndPort.toSocketAddress();
    }
}
