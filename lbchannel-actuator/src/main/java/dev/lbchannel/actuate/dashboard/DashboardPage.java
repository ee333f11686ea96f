package dev.lbchannel.actuate.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The dashboard's HTML: a static shell that carries no channel data, only where to read channelz,
 * how often, and where its own stylesheet and scripts are, all as paths on this origin. Those
 * paths start with the request's context path and servlet mapping, so the page works under
 * {@code server.servlet.context-path} and behind a proxy that sets it. Thread-safe.
 */
final class DashboardPage implements HttpRequestHandler {

    static final String TEMPLATE = "dashboard.html";

    private final String template;
    private final String path;
    private final String channelzPath;
    private final long refreshMillis;

    /**
     * @param path the page's own path below the servlet mapping, {@code /lbchannel/dashboard}
     * @param channelzPath the channelz endpoint's path below the servlet mapping, {@code /actuator/channelz}
     */
    DashboardPage(String path, String channelzPath, Duration refreshInterval) {
        this.template = new String(DashboardAsset.read(TEMPLATE), StandardCharsets.UTF_8);
        this.path = requireNonNull(path, "path");
        this.channelzPath = requireNonNull(channelzPath, "channelzPath");
        this.refreshMillis = refreshInterval.toMillis();
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!DashboardResponses.acceptRead(request, response)) {
            return;
        }
        DashboardResponses.secure(response);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        byte[] html = render(servletPrefix(request)).getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(html.length);
        response.getOutputStream().write(html);
    }

    /** The template with its placeholders filled in, each escaped for an HTML attribute. */
    String render(String prefix) {
        return template.replace("{{channelz}}", attribute(prefix + channelzPath))
                .replace("{{refreshMillis}}", Long.toString(refreshMillis))
                .replace("{{assets}}", attribute(prefix + path + "/"));
    }

    /** The context path plus the dispatcher servlet's path prefix, if it has one; empty at the root. */
    private static String servletPrefix(HttpServletRequest request) {
        String prefix = ServletUriComponentsBuilder.fromServletMapping(request).build().getPath();
        return prefix == null ? "" : prefix;
    }

    private static String attribute(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }
}
