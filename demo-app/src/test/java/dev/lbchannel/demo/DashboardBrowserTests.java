package dev.lbchannel.demo;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.dashboard.HeadlessChromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: it shows the round_robin channel's three
 * subchannels READY, and after backend 1 is stopped its subchannel leaves READY within seconds
 * while the other two stay READY and calls still succeed; the page logs no error to its console.
 * Reads only the DOM contract ({@code section.channel[data-channel]},
 * {@code .subchannel[data-address][data-state]}, {@code body[data-updated]}). Saves a screenshot
 * to {@code target/dashboard.png}, and to {@code docs/dashboard.png} with
 * {@code -Dlbchannel.updateScreenshot=true}.
 *
 * <p>The browser is lbchannel-actuator's {@link HeadlessChromium}: Debian's {@code chromium} and
 * {@code chromium-driver}, never a downloaded one; without them the test is skipped, except under
 * CI, where it fails.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.traffic.rate=4")
@DirtiesContext
@Timeout(180)
class DashboardBrowserTests {

    private static final String DASHBOARD = "/lbchannel/dashboard";
    private static final String CHANNEL = "round-robin";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_SEEN_WITHIN = Duration.ofSeconds(10);

    /** Every subchannel of one channel as the page shows it, {@code [address, state]}, in one DOM read. */
    private static final String SUBCHANNELS_SCRIPT = """
            return Array.from(document.querySelectorAll(
                    'section.channel[data-channel="' + arguments[0] + '"] .subchannel'))
                .map(e => [e.getAttribute('data-address'), e.getAttribute('data-state')]);
            """;

    @LocalServerPort
    int port;

    /** Runs before the application starts, so a machine without a browser does not start it for nothing. */
    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void stoppedBackendLeavesReadyOnTheDashboardWhileTheOthersServe(@TempDir Path profile) throws IOException {
        DemoHttp http = new DemoHttp(port);
        assertThat(http.get(DASHBOARD).status())
                .as("GET " + DASHBOARD + " (served by lbchannel-actuator with lbchannel.dashboard.enabled=true)")
                .isEqualTo(200);
        Map<Integer, String> backends = http.backendAddresses();
        ChromeDriver driver = HeadlessChromium.start(profile);
        try {
            driver.get("http://127.0.0.1:" + port + DASHBOARD);
            new WebDriverWait(driver, PAGE_WAIT).withMessage(() -> "three READY subchannels of " + CHANNEL
                            + " on the dashboard; it shows " + subchannels(driver))
                    .until(d -> refreshed(d)
                            && subchannels(d).values().stream().filter("READY"::equals).count() == 3);
            assertThat(subchannels(driver)).containsOnlyKeys(backends.values());

            try {
                assertThat(http.post("/backends/1/stop").status()).isEqualTo(200);
                new WebDriverWait(driver, STOP_SEEN_WITHIN).withMessage(() -> "backend 1's subchannel ("
                                + backends.get(1) + ") to leave READY while 2 and 3 stay READY; the page shows "
                                + subchannels(driver))
                        .until(d -> {
                            Map<String, String> states = subchannels(d);
                            return states.get(backends.get(1)) != null
                                    && !"READY".equals(states.get(backends.get(1)))
                                    && "READY".equals(states.get(backends.get(2)))
                                    && "READY".equals(states.get(backends.get(3)));
                        });
                ActuatorHttp.Response hello = http.get("/hello?name=browser&channel=" + CHANNEL);
                assertThat(hello.status()).as(hello.body()).isEqualTo(200);
                assertThat((Integer) hello.json().get("backendId")).isIn(2, 3);
                assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-error"))
                        .as("the page's last refresh failed").isNull();
                saveScreenshot(driver);
            } finally {
                http.post("/backends/1/start");
            }
            assertThat(severeConsoleEntries(driver)).as("the page's console errors").isEmpty();
        } finally {
            driver.quit();
        }
    }

    /** The channel's subchannels on the page: data-address to data-state. */
    private static Map<String, String> subchannels(WebDriver driver) {
        Object rows = ((JavascriptExecutor) driver).executeScript(SUBCHANNELS_SCRIPT, CHANNEL);
        Map<String, String> states = new LinkedHashMap<>();
        for (Object row : (List<?>) rows) {
            List<?> pair = (List<?>) row;
            states.put(String.valueOf(pair.get(0)), String.valueOf(pair.get(1)));
        }
        return states;
    }

    private static boolean refreshed(WebDriver driver) {
        return Boolean.TRUE.equals(((JavascriptExecutor) driver)
                .executeScript("return document.body != null && document.body.hasAttribute('data-updated');"));
    }

    /** A script error or a Content-Security-Policy violation shows up here, nowhere else. */
    private static List<String> severeConsoleEntries(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private static void saveScreenshot(WebDriver driver) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Path target = Path.of(System.getProperty("lbchannel.buildDirectory", "target"), "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        if (Boolean.getBoolean("lbchannel.updateScreenshot")) {
            Path docs = Path.of(System.getProperty("lbchannel.docsDirectory", "../docs"), "dashboard.png");
            Files.createDirectories(docs.getParent());
            Files.copy(target, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
