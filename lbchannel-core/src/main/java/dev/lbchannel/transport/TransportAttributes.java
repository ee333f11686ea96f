package dev.lbchannel.transport;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.SecurityLevel;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLSession;
import java.net.SocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The attributes of a ready connection, as a call sees them in {@code ClientCall.getAttributes()},
 * in {@code CallCredentials.RequestInfo} and in stream tracers: the addresses and TLS session under
 * {@link Grpc}'s keys, and the security level. Stateless.
 */
public final class TransportAttributes {

    /**
     * The connection's security level: {@link SecurityLevel#PRIVACY_AND_INTEGRITY} over TLS,
     * {@link SecurityLevel#NONE} in plaintext. grpc-java keeps this under a key of its internal
     * {@code io.grpc.internal.GrpcAttributes}; that key is set as well when grpc-core is present,
     * so code written against grpc-java's channel finds it there too.
     */
    public static final Attributes.Key<SecurityLevel> SECURITY_LEVEL =
            Attributes.Key.create("dev.lbchannel.transport.securityLevel");

    private static final Logger logger = Logger.getLogger(TransportAttributes.class.getName());
    private static final Attributes.@Nullable Key<SecurityLevel> GRPC_CORE_SECURITY_LEVEL = grpcCoreKey();

    private TransportAttributes() {
    }

    static Attributes of(@Nullable SocketAddress remote, @Nullable SocketAddress local, @Nullable SSLSession tls) {
        SecurityLevel level = tls == null ? SecurityLevel.NONE : SecurityLevel.PRIVACY_AND_INTEGRITY;
        Attributes.Builder attributes = Attributes.newBuilder()
                .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote)
                .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, local)
                .set(SECURITY_LEVEL, level);
        if (tls != null) {
            attributes.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, tls);
        }
        if (GRPC_CORE_SECURITY_LEVEL != null) {
            attributes.set(GRPC_CORE_SECURITY_LEVEL, level);
        }
        return attributes.build();
    }

    /** The security level of a connection's attributes; NONE when they name none. */
    public static SecurityLevel securityLevel(Attributes attributes) {
        SecurityLevel level = attributes.get(SECURITY_LEVEL);
        return level == null ? SecurityLevel.NONE : level;
    }

    @SuppressWarnings("unchecked")
    private static Attributes.@Nullable Key<SecurityLevel> grpcCoreKey() {
        try {
            Class<?> holder = Class.forName("io.grpc.internal.GrpcAttributes", false,
                    TransportAttributes.class.getClassLoader());
            Object key = holder.getField("ATTR_SECURITY_LEVEL").get(null);
            return key instanceof Attributes.Key<?> k ? (Attributes.Key<SecurityLevel>) k : null;
        } catch (ClassNotFoundException e) {
            return null; // no grpc-core: our key only
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            logger.log(Level.FINE, "grpc-core's security level key is not usable", e);
            return null;
        }
    }
}
