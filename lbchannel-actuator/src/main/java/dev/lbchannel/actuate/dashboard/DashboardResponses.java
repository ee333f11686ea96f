package dev.lbchannel.actuate.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

/**
 * What every dashboard response shares: it answers reads only, and it tells the browser to run
 * no script or style but the application's own, to fetch data from the application only, and
 * never to show the page inside a frame. Stateless.
 */
final class DashboardResponses {

    /**
     * Scripts, styles and fetches from this origin only; nothing inline, no plug-ins, no forms,
     * and no framing (clickjacking). {@code data:} images cover the empty favicon.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final String ALLOWED_METHODS = "GET, HEAD";

    private DashboardResponses() {
    }

    /**
     * Whether the request is a read ({@code GET}, or {@code HEAD}, whose body the servlet
     * container drops); anything else is answered here with 405.
     */
    static boolean acceptRead(HttpServletRequest request, HttpServletResponse response) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        secure(response);
        response.setHeader(HttpHeaders.ALLOW, ALLOWED_METHODS);
        response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        return false;
    }

    /** Adds the headers that keep the page from being framed, sniffed or leaking its address. */
    static void secure(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        // For browsers that predate frame-ancestors.
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
    }
}
