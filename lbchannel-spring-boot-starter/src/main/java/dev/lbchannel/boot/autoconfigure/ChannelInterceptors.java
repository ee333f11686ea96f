package dev.lbchannel.boot.autoconfigure;

import io.grpc.ClientInterceptor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's {@link ClientInterceptor} beans, by name, in {@code @Order}: every channel
 * gets all of them unless it names its own with {@code interceptors}, in which case it gets
 * exactly those, in the order listed. Immutable.
 */
final class ChannelInterceptors {

    private final Map<String, ClientInterceptor> ordered;

    private ChannelInterceptors(Map<String, ClientInterceptor> ordered) {
        this.ordered = ordered;
    }

    /**
     * @param inOrder the interceptor beans in {@code @Order}, as an ordered stream gives them
     * @param byName  the same beans by bean name
     */
    static ChannelInterceptors of(List<ClientInterceptor> inOrder, Map<String, ClientInterceptor> byName) {
        Map<ClientInterceptor, String> names = new IdentityHashMap<>();
        byName.forEach((name, bean) -> names.put(bean, name));
        Map<String, ClientInterceptor> ordered = new LinkedHashMap<>();
        for (ClientInterceptor interceptor : inOrder) {
            ordered.put(names.getOrDefault(interceptor, interceptor.getClass().getName()), interceptor);
        }
        return new ChannelInterceptors(ordered);
    }

    /**
     * The interceptors of a channel, the first to run first.
     *
     * @throws LbChannelConfigurationException when the channel names a bean that is not a
     *     {@code ClientInterceptor}
     */
    List<ClientInterceptor> forChannel(ChannelDefinition channel) {
        Setting<List<String>> names = channel.interceptors();
        if (!names.isSet()) {
            return List.copyOf(ordered.values());
        }
        List<ClientInterceptor> selected = new ArrayList<>();
        for (String name : names.value()) {
            ClientInterceptor interceptor = ordered.get(name);
            if (interceptor == null) {
                throw new LbChannelConfigurationException(names.property(), names.value(),
                        "There is no ClientInterceptor bean named '" + name + "'",
                        "Name ClientInterceptor beans in " + names.property() + " (there are: "
                                + (ordered.isEmpty() ? "none" : String.join(", ", ordered.keySet()))
                                + "), or remove the property to use all of them.");
            }
            selected.add(interceptor);
        }
        return selected;
    }
}
