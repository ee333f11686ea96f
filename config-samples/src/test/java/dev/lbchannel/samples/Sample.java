package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.ServedByCounter;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One sample running as a Spring Boot application: {@code samples/<name>.yml} is its only
 * configuration file ({@code spring.config.location}), and the test's values for the sample's
 * placeholders (loopback addresses, a DNS server, certificate directories) come as command-line
 * arguments, as an operator would pass them. Close it to shut the channels down.
 */
final class Sample implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Sample(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the sample {@code name} with {@code configurations} (the sample's own
     * {@code @Configuration} classes, if it has any) and {@code properties} as {@code key=value}.
     */
    static Sample start(String name, List<Class<?>> configurations, String... properties) {
        List<Class<?>> sources = new ArrayList<>();
        sources.add(SampleApplication.class);
        sources.addAll(configurations);
        List<String> args = new ArrayList<>();
        args.add("--spring.config.location=classpath:samples/" + name + ".yml");
        for (String property : properties) {
            args.add("--" + property);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .run(args.toArray(String[]::new));
        return new Sample(context);
    }

    static Sample start(String name, String... properties) {
        return start(name, List.of(), properties);
    }

    LbChannel channel(String name) {
        return bean(LbChannels.class).get(name);
    }

    ServedByCounter servedBy() {
        return bean(ServedByCounter.class);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
