package dev.lbchannel.boot.autoconfigure.kubernetes;

import dev.lbchannel.kubernetes.KubernetesResolverProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code kubernetes} resolver ({@code kubernetes:///orders.shop:grpc}) when
 * lbchannel-kubernetes and fabric8's client are on the class path, unless
 * {@code lbchannel.kubernetes.enabled=false}. It uses the application's
 * {@link KubernetesClient} bean, or creates one with fabric8's default configuration, which reads
 * the pod's service account in a cluster and {@code ~/.kube/config} (or {@code KUBECONFIG})
 * outside one, and closes it with the context. An application replaces the resolver by declaring
 * its own {@link KubernetesResolverProvider} bean, or any {@code ResolverProvider} bean named
 * {@code kubernetesResolverProvider}.
 */
@AutoConfiguration
@ConditionalOnClass({KubernetesResolverProvider.class, KubernetesClient.class})
@ConditionalOnBooleanProperty(name = "lbchannel.kubernetes.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LbChannelKubernetesProperties.class)
public final class LbChannelKubernetesAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    KubernetesClient lbChannelKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    @ConditionalOnMissingBean(value = KubernetesResolverProvider.class, name = "kubernetesResolverProvider")
    KubernetesResolverProvider kubernetesResolverProvider(KubernetesClient client) {
        return new KubernetesResolverProvider(client);
    }
}
