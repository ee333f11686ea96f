package dev.lbchannel.boot.autoconfigure;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** YAML as an application's {@code application.yml}: loaded by Boot's own loader, with origins. */
final class Yaml {

    private Yaml() {
    }

    /** The YAML as a property source named like a class path application.yml. */
    static PropertySource<?> source(String yaml) {
        try {
            ByteArrayResource resource = new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml") {
                @Override
                public String getDescription() {
                    return "class path resource [application.yml]";
                }
            };
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml", resource);
            return sources.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the YAML in front of a context's property sources, as Boot does with application.yml. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> initializer(String yaml) {
        PropertySource<?> source = source(yaml);
        return context -> context.getEnvironment().getPropertySources().addFirst(source);
    }

    /** Binds the map under {@code prefix} as Spring binds {@code service-config}. */
    static Map<String, Object> bindMap(String yaml, String prefix) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(source(yaml));
        return Binder.get(environment).bind(prefix, Bindable.mapOf(String.class, Object.class)).get();
    }
}
