package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.boot.LbChannels;
import io.grpc.Channel;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean for every stub type named by {@link ImportLbChannelStubs} on the importing
 * class. The bean's type is the stub type, so it injects by type before it is made; it is made
 * on first use, over a {@link CurrentChannel} that follows the channel of that name through
 * refreshes (or over {@link LbChannels#get(String)} when the application defines its own
 * {@link LbChannels}). Not for direct use: {@code @Import}ed by the annotation.
 */
public final class LbChannelStubsRegistrar implements ImportBeanDefinitionRegistrar {

    LbChannelStubsRegistrar() {
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (AnnotationAttributes attributes : metadata.getMergedRepeatableAnnotationAttributes(
                ImportLbChannelStubs.class, ImportLbChannelStubs.List.class, false)) {
            register(attributes, metadata.getClassName(), registry);
        }
    }

    private static void register(AnnotationAttributes annotation, String importer, BeanDefinitionRegistry registry) {
        String channel = annotation.getString("channel");
        for (Class<?> stubType : annotation.getClassArray("value")) {
            String beanName = channel + stubType.getSimpleName();
            if (!registry.containsBeanDefinition(beanName)) {
                registry.registerBeanDefinition(beanName,
                        definition(StubFactory.forType(stubType), channel, importer, registry));
            }
        }
    }

    private static <T> AbstractBeanDefinition definition(StubFactory<T> factory, String channel, String importer,
            BeanDefinitionRegistry registry) {
        BeanFactory beanFactory = (BeanFactory) registry;
        return BeanDefinitionBuilder.genericBeanDefinition(factory.stubType(),
                        () -> factory.create(channel(beanFactory, channel, importer)))
                .getBeanDefinition();
    }

    /** The channel a stub is for; a name no YAML configures is a start-up failure analysis, not a bare exception. */
    private static Channel channel(BeanFactory beanFactory, String name, String importer) {
        LbChannelsLifecycle lifecycle = beanFactory.getBeanProvider(LbChannelsLifecycle.class).getIfAvailable();
        Channel following = lifecycle != null ? lifecycle.channels().forStubs(name) : null;
        if (following != null) {
            return following;
        }
        LbChannels channels = beanFactory.getBean(LbChannels.class);
        return channels.find(name).<Channel>map(channel -> channel).orElseThrow(() -> {
            String configured = channels.names().isEmpty() ? "none" : String.join(", ", channels.names());
            String simpleName = ClassUtils.getShortName(importer);
            return new LbChannelConfigurationException("lbchannel.channels." + name + ".target", null,
                    "@ImportLbChannelStubs on " + importer + " names channel '" + name
                            + "', which is not configured; configured channels: " + configured,
                    "Configure the channel (lbchannel.channels." + name + ".target), or name a configured one in"
                            + " @ImportLbChannelStubs(channel = ...) on " + simpleName + ".");
        });
    }
}
