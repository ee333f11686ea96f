package dev.lbchannel.boot.autoconfigure.dns;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when any {@code lbchannel.dns.*} property is set. Without one, the built-in resolver
 * stays as it is, and so does an application's own {@code ResolverProvider} bean for {@code dns}
 * (which would otherwise clash with the one configured from these properties). Stateless.
 */
final class OnDnsPropertiesCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean set = Binder.get(context.getEnvironment())
                .bind("lbchannel.dns", Bindable.mapOf(String.class, Object.class)).isBound();
        return set ? ConditionOutcome.match("lbchannel.dns.* is set")
                : ConditionOutcome.noMatch("no lbchannel.dns.* property is set");
    }
}
