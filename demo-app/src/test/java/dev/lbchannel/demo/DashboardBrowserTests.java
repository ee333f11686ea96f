package dev.lbchannel.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real headless Chromium: it shows the round_robin channel's three
 * subchannels READY, and after backend 1 is stopped its subchannel leaves READY within seconds
 * while the other two stay READY and calls still succeed. Reads only the DOM contract
 * ({@code section.channel[data-channel]}, {@code .subchannel[data-address][data-state]},
 * {@code body[data-updated]}). Saves a screenshot to {@code target/dashboard.png}, and to
 * {@code docs/dashboard.png} with {@code -Dlbchannel.updateScreenshot=true}.
 *
 * <p>Uses Debian's {@code chromium} and {@code chromium-driver} at fixed paths, never a
 * downloaded browser or driver. Without them the test is skipped, except under CI (the
 * {@code CI} environment variable), where it fails.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.traffic.rate=4")
@DirtiesContext
@Timeout(180)
@DisabledIf(value = "browserMissingOutsideCi",
        disabledReason = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
class DashboardBrowserTests {

    private static final Path CHROMIUM = Path.of(System.getProperty("lbchannel.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("lbchannel.chromedriver", "/usr/bin/chromedriver"));
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

    private WebDriver driver;
    private Path profile;

    /** Skips the class, before the application starts, when there is no browser and no CI to insist. */
    static boolean browserMissingOutsideCi() {
        return !browserInstalled() && System.getenv("CI") == null;
    }

    /** Under CI a missing browser is a broken machine, not a reason to skip. */
    @BeforeAll
    static void browserInstalledUnderCi() {
        if (!browserInstalled()) {
            fail("Chromium (" + CHROMIUM + ") and ChromeDriver (" + CHROMEDRIVER + ") are needed under CI; "
                    + "install Debian's packages: apt-get install chromium chromium-driver");
        }
    }

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeEach
    void openBrowser() throws IOException {
        profile = Files.createTempDirectory("lbchannel-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-extensions", "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        // An explicit driver executable keeps Selenium Manager from looking for (or downloading) one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            deleteRecursively(profile);
        }
    }

    @Test
    void stoppedBackendLeavesReadyOnTheDashboardWhileTheOthersServe() throws IOException {
        DemoHttp http = new DemoHttp(port);
        assertThat(http.get(DASHBOARD).status())
                .as("GET " + DASHBOARD + " (served by lbchannel-actuator with lbchannel.dashboard.enabled=true)")
                .isEqualTo(200);
        Map<Integer, String> backends = http.backendAddresses();
        driver.get("http://127.0.0.1:" + port + DASHBOARD);

        new WebDriverWait(driver, PAGE_WAIT).withMessage(() -> "three READY subchannels of " + CHANNEL
                        + " on the dashboard; it shows " + subchannels(driver))
                .until(d -> refreshed(d) && subchannels(d).values().stream().filter("READY"::equals).count() == 3);
        assertThat(subchannels(driver)).containsOnlyKeys(backends.values());

        try {
            assertThat(http.post("/backends/1/stop").status()).isEqualTo(200);
            new WebDriverWait(driver, STOP_SEEN_WITHIN).withMessage(() -> "backend 1's subchannel ("
                            + backends.get(1) + ") to leave READY while 2 and 3 stay READY; the page shows "
                            + subchannels(driver))
                    .until(d -> {
                        Map<String, String> states = subchannels(d);
                        return states.get(backends.get(1)) != null && !"READY".equals(states.get(backends.get(1)))
                                && "READY".equals(states.get(backends.get(2)))
                                && "READY".equals(states.get(backends.get(3)));
                    });
            DemoHttp.Response hello = http.get("/hello?name=browser&channel=" + CHANNEL);
            assertThat(hello.status()).as(hello.body()).isEqualTo(200);
            assertThat((Integer) hello.json().get("backendId")).isIn(2, 3);
            assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-error"))
                    .as("the page's last refresh failed").isNull();
            saveScreenshot();
        } finally {
            http.post("/backends/1/start");
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

    private void saveScreenshot() throws IOException {
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

    /** Best effort: a file Chromium still held at exit only leaves litter in the temp directory. */
    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Litter only; the test's outcome does not depend on it.
        }
    }
}
