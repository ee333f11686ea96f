package dev.lbchannel.actuate.dashboard;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard's routes in the dispatcher servlet: the page at {@code lbchannel.dashboard.path}
 * and its files below it ({@code <path>/dashboard.js}), exact paths only, nothing else. Built once
 * from checked properties; thread-safe once the context has initialised it.
 */
final class DashboardHandlerMapping extends SimpleUrlHandlerMapping {

    /**
     * Behind the actuator's endpoints (-100), so the page can never shadow channelz, and ahead of
     * the application's controllers (0): the application opted in to the dashboard at this path.
     */
    static final int ORDER = -10;

    static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(100);

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    private DashboardHandlerMapping(Map<String, Object> handlers) {
        super(handlers, ORDER);
    }

    /**
     * The routes for the given properties, with the page reading channelz at {@code channelzPath}
     * (below the servlet mapping, as the actuator maps it).
     *
     * @throws InvalidConfigurationPropertyValueException for a path that is not a plain absolute
     *         path or a refresh interval under {@link #MIN_REFRESH_INTERVAL}
     */
    static DashboardHandlerMapping of(DashboardProperties properties, String channelzPath) {
        String path = checkedPath(properties.getPath());
        Duration refreshInterval = checkedRefreshInterval(properties.getRefreshInterval());
        Map<String, Object> handlers = new LinkedHashMap<>();
        handlers.put(path, new DashboardPage(path, channelzPath, refreshInterval));
        for (String name : DashboardAsset.NAMES) {
            handlers.put(path + "/" + name, DashboardAsset.load(name));
        }
        return new DashboardHandlerMapping(handlers);
    }

    private static String checkedPath(String path) {
        boolean dotSegment = path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..");
        if (!PATH.matcher(path).matches() || dotSegment) {
            throw new InvalidConfigurationPropertyValueException("lbchannel.dashboard.path", path,
                    "Use an absolute path of plain segments (letters, digits, '.', '_', '~', '-') with no trailing "
                            + "slash, such as /lbchannel/dashboard");
        }
        return path;
    }

    private static Duration checkedRefreshInterval(Duration interval) {
        if (interval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
            throw new InvalidConfigurationPropertyValueException("lbchannel.dashboard.refresh-interval", interval,
                    "Use " + MIN_REFRESH_INTERVAL.toMillis() + "ms or more; every refresh takes a snapshot of every channel");
        }
        return interval;
    }
}
