package org.ticketledger.example.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, with a fresh profile per instance and nothing that reaches beyond loopback. Tests
 * using it are skipped only when Chromium is not installed ({@code .ci/run} installs it).
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final URI base;

    private Browser(ChromeDriver driver, Path profile, URI base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Skips the calling test when Chromium or its driver is missing. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install chromium chromium-driver)");
    }

    /** A browser whose relative URLs resolve against {@code base}; {@code width} x {@code height} window. */
    public static Browser open(URI base, int width, int height) {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("tl-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // Elements of a page still loading after a click are waited for, briefly.
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return new Browser(driver, profile, base);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens {@code path} of the platform. */
    public Browser go(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    /** The current path (and query) of the page. */
    public String path() {
        URI u = URI.create(driver.getCurrentUrl());
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /**
     * Waits until the page's path starts with {@code prefix}: a click on a form button returns
     * before the browser has followed the server's redirect, so the old page may still be shown.
     */
    public Browser waitForPath(String prefix) {
        waiting(Duration.ofSeconds(15)).until(d -> path().startsWith(prefix));
        return this;
    }

    public WebDriverWait waiting(Duration d) {
        return new WebDriverWait(driver, d);
    }

    /** Waits until the element's text is {@code text} (after a click that loads another page). */
    public Browser waitForText(String css, String text) {
        waiting(Duration.ofSeconds(15)).until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(By.cssSelector(css), text));
        return this;
    }

    /** Logs in through the form. */
    public Browser login(String username, String password) {
        go("/console/login");
        find("#username").sendKeys(username);
        find("#password").sendKeys(password);
        find("#login").click();
        find("#current-user");
        return this;
    }

    public Browser logout() {
        find("#logout").click();
        find("#login-form");
        return this;
    }

    /** Saves a screenshot under {@code target/console-screenshots/} (a test artifact); returns its path. */
    public Path screenshot(String name) {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        try {
            Path dir = Path.of("target", "console-screenshots");
            Files.createDirectories(dir);
            Path to = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code script} in the page and returns its value. */
    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind is harmless
            }
        }
    }
}
