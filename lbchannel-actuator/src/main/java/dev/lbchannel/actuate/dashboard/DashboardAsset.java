package dev.lbchannel.actuate.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.util.DigestUtils;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.context.request.ServletWebRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One of the page's own files, a stylesheet or a script module, read from the classpath once and
 * served as it is. Browsers revalidate it on every load ({@code no-cache} with an ETag), so an
 * upgraded jar is picked up at once and an unchanged file costs a 304. Thread-safe.
 */
final class DashboardAsset implements HttpRequestHandler {

    /** Where the page's files live on the classpath; outside Boot's static locations, so nothing is served unasked. */
    static final String LOCATION = "META-INF/lbchannel/dashboard/";

    /** The files the page loads, each served under the page's path by this name. */
    static final List<String> NAMES = List.of("dashboard.css", "dashboard.js", "channel-view.js", "rates.js");

    private final String contentType;
    private final byte[] content;
    private final String etag;

    private DashboardAsset(String contentType, byte[] content) {
        this.contentType = contentType;
        this.content = content;
        this.etag = "\"" + DigestUtils.md5DigestAsHex(content) + "\"";
    }

    /** Reads {@code name} (one of {@link #NAMES}) from {@link #LOCATION}. */
    static DashboardAsset load(String name) {
        requireNonNull(name, "name");
        return new DashboardAsset(contentType(name), read(name));
    }

    /** The text of a file under {@link #LOCATION}; its absence is a packaging error. */
    static byte[] read(String name) {
        ClassPathResource resource = new ClassPathResource(LOCATION + name, DashboardAsset.class.getClassLoader());
        try {
            return resource.getContentAsByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("lbchannel-actuator is missing its dashboard file " + LOCATION + name, e);
        }
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!DashboardResponses.acceptRead(request, response)) {
            return;
        }
        DashboardResponses.secure(response);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (new ServletWebRequest(request, response).checkNotModified(etag)) {
            return;
        }
        response.setContentType(contentType);
        response.setContentLength(content.length);
        response.getOutputStream().write(content);
    }

    private static String contentType(String name) {
        if (name.endsWith(".css")) {
            return "text/css;charset=UTF-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript;charset=UTF-8";
        }
        throw new IllegalArgumentException("Not a dashboard stylesheet or script: " + name);
    }
}
