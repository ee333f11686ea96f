package dev.lbchannel.actuate.dashboard;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium driven through its own chromedriver, both named explicitly so Selenium Manager
 * never looks for (or downloads) a browser or a driver. Headless, sandbox-free for containers,
 * with background networking off so the browser talks to nothing but the test application.
 */
public final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * Skips the calling test when Chromium or its driver is missing, unless {@code CI} is set:
     * there the browser test must run, so a missing browser fails it.
     */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!installed && System.getenv("CI") != null) {
            fail("The dashboard's browser test needs " + BROWSER + " and " + DRIVER
                    + "; install Debian's chromium and chromium-driver packages (apt-get install chromium chromium-driver)");
        }
        assumeTrue(installed, () -> "Chromium or chromedriver missing (" + BROWSER + ", " + DRIVER
                + "); install Debian's chromium and chromium-driver to run this test");
    }

    /** Starts a browser with its profile in {@code profile}; the caller quits it. */
    public static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        // Keeps the page's console, so a Content-Security-Policy violation or a script error fails the test.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        return new ChromeDriver(service, options);
    }
}
