package dev.lbchannel.actuate.dashboard;

import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against real grpc-java backends: a round_robin channel
 * over three backends shows three READY subchannels with call counters, rates and the channel's
 * retry counts; killing one backend turns its subchannel away from READY on the page by itself;
 * the page loads nothing from anywhere but the application and logs no error. Screenshots go to
 * {@code target/}.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "lbchannel.dashboard.enabled=true",
        "lbchannel.dashboard.refresh-interval=250ms",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.default.load-balancing-policy=round_robin",
        "lbchannel.channels.inventory.plaintext=true"})
@DirtiesContext
@Timeout(180)
class DashboardBrowserTests {

    private static final Duration PAGE_BOUND = Duration.ofSeconds(30);
    private static final List<TestBackend> BACKENDS =
            List.of(TestBackend.plaintext(), TestBackend.plaintext(), TestBackend.plaintext());

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target", () -> "static:///" + BACKENDS.stream()
                .map(backend -> "127.0.0.1:" + backend.port()).collect(Collectors.joining(",")));
        registry.add("lbchannel.channels.inventory.target", () -> "static:///127.0.0.1:" + BACKENDS.get(0).port());
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.forEach(TestBackend::close);
    }

    @Test
    void pageFollowsSubchannelStatesAndCountsCalls(@TempDir Path profile) throws IOException {
        HeadlessChromium.assumeInstalled();
        TestServiceBlockingStub orders = TestServiceGrpc.newBlockingStub(channels.get("orders"));
        TestServiceBlockingStub inventory = TestServiceGrpc.newBlockingStub(channels.get("inventory"));
        Await.until("three orders subchannels READY", () -> {
            channels.get("orders").getState(true);
            return channels.get("orders").snapshot().subchannels().stream()
                    .filter(s -> s.state() == ConnectivityState.READY).count() == 3;
        });
        for (int i = 0; i < 12; i++) {
            orders.emptyCall(Empty.getDefaultInstance());
            inventory.emptyCall(Empty.getDefaultInstance());
        }
        ScheduledExecutorService load = steadyLoad(orders);
        ChromeDriver driver = HeadlessChromium.start(profile);
        try {
            String base = "http://127.0.0.1:" + port;
            driver.get(base + "/lbchannel/dashboard");

            await(driver, "the page shows three READY orders subchannels",
                    () -> subchannels(driver, "READY").size() == 3 && driver.findElement(By.tagName("body"))
                            .getDomAttribute("data-updated") != null);
            assertThat(channelSection(driver).getDomAttribute("data-state")).isEqualTo("READY");
            assertThat(subchannels(driver, "READY")).extracting(row -> row.getDomAttribute("data-address"))
                    .containsExactlyInAnyOrderElementsOf(BACKENDS.stream().map(b -> "127.0.0.1:" + b.port()).toList());
            await(driver, "the page counts calls and shows a rate",
                    () -> value(channelSection(driver), "[data-stat=started] .stat-value") > 0
                            && value(channelSection(driver), "[data-stat=rate] .stat-value") > 0);
            for (WebElement row : subchannels(driver, "READY")) {
                assertThat(value(row, "td[data-stat=started]")).as(row.getDomAttribute("data-address")).isPositive();
            }
            assertThat(channelSection(driver).findElement(By.cssSelector("[data-stat=attempts] .stat-value")).getText())
                    .as("retries / transparent / hedges / throttled").matches("\\d+ / \\d+ / \\d+ / \\d+");
            assertThat(channelSection(driver).findElement(By.cssSelector("[data-stat=ejections] .stat-value")).getText())
                    .as("ejected now / ejections / unenforced").isEqualTo("0 / 0 / 0");
            assertThat(channelSection(driver).findElements(By.cssSelector(".subchannel[data-ejected]"))).isEmpty();
            assertThat(channelSection(driver).findElements(By.cssSelector(".trace .trace-line"))).isNotEmpty();
            screenshot(driver, "dashboard.png");

            TestBackend killed = BACKENDS.get(2);
            killed.kill();
            String address = "127.0.0.1:" + killed.port();
            await(driver, "the killed backend's subchannel leaves READY on the page", () -> {
                List<WebElement> rows = channelSection(driver)
                        .findElements(By.cssSelector(".subchannel[data-address='" + address + "']"));
                return rows.size() == 1 && !"READY".equals(rows.get(0).getDomAttribute("data-state"));
            });
            await(driver, "the page's trace shows the subchannel's failure",
                    () -> !channelSection(driver).findElements(
                            By.cssSelector(".trace .trace-line[data-severity='WARNING']")).isEmpty());
            screenshot(driver, "dashboard-backend-down.png");

            WebElement body = driver.findElement(By.tagName("body"));
            assertThat(body.getDomAttribute("data-error")).isNull();
            assertOnlyTheApplicationWasContacted(driver, base);
            assertThat(severeConsoleEntries(driver)).isEmpty();
        } finally {
            load.shutdownNow();
            driver.quit();
        }
    }

    /** About fifty calls a second, so the page has a rate to show; failures after the kill are expected. */
    private static ScheduledExecutorService steadyLoad(TestServiceBlockingStub stub) {
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-test-load");
            thread.setDaemon(true);
            return thread;
        });
        load.scheduleAtFixedRate(() -> {
            try {
                stub.withDeadlineAfter(2, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            } catch (RuntimeException expectedAfterKill) {
                // The page counts it as failed, which is what a killed backend looks like.
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        return load;
    }

    /**
     * Polls the page every 100 ms, never longer than {@link #PAGE_BOUND}; an element replaced
     * between finding and reading it only means "not yet".
     */
    private static void await(WebDriver driver, String what, BooleanSupplier condition) {
        new WebDriverWait(driver, PAGE_BOUND, Duration.ofMillis(100))
                .withMessage("waiting for: " + what)
                .ignoring(StaleElementReferenceException.class)
                .until(unused -> condition.getAsBoolean());
    }

    private static WebElement channelSection(WebDriver driver) {
        return driver.findElement(By.cssSelector("section.channel[data-channel='orders']"));
    }

    private static List<WebElement> subchannels(WebDriver driver, String state) {
        return driver.findElements(By.cssSelector(
                "section.channel[data-channel='orders'] .subchannel[data-channel='orders'][data-state='" + state + "']"));
    }

    private static double value(WebElement scope, String selector) {
        List<WebElement> found = scope.findElements(By.cssSelector(selector));
        String value = found.isEmpty() ? null : found.get(0).getDomAttribute("data-value");
        return value == null ? -1 : Double.parseDouble(value);
    }

    private static void assertOnlyTheApplicationWasContacted(ChromeDriver driver, String base) {
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(entry => entry.name)");
        assertThat(fetched).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
    }

    private static List<String> severeConsoleEntries(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves the whole page, beyond the window's height, so every channel is in the picture. */
    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", ((Number) content.get("width")).doubleValue(),
                "height", Math.min(4000, ((Number) content.get("height")).doubleValue()));
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
    }
}
