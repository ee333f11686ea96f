package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.boot.LbChannels;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean for every stub type named by {@link ImportLbChannelStubs} on the importing
 * class. The bean's type is the stub type, so it injects by type before it is made; it is made
 * on first use from {@link LbChannels#get(String)}. Not for direct use: {@code @Import}ed by the
 * annotation.
 */
public final class LbChannelStubsRegistrar implements ImportBeanDefinitionRegistrar {

    LbChannelStubsRegistrar() {
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (AnnotationAttributes attributes : metadata.getMergedRepeatableAnnotationAttributes(
                ImportLbChannelStubs.class, ImportLbChannelStubs.List.class, false)) {
            register(attributes, registry);
        }
    }

    private static void register(AnnotationAttributes annotation, BeanDefinitionRegistry registry) {
        String channel = annotation.getString("channel");
        for (Class<?> stubType : annotation.getClassArray("value")) {
            String beanName = channel + stubType.getSimpleName();
            if (!registry.containsBeanDefinition(beanName)) {
                registry.registerBeanDefinition(beanName, definition(StubFactory.forType(stubType), channel, registry));
            }
        }
    }

    private static <T> AbstractBeanDefinition definition(StubFactory<T> factory, String channel,
            BeanDefinitionRegistry registry) {
        BeanFactory beanFactory = (BeanFactory) registry;
        return BeanDefinitionBuilder.genericBeanDefinition(factory.stubType(),
                        () -> factory.create(beanFactory.getBean(LbChannels.class).get(channel)))
                .getBeanDefinition();
    }
}
