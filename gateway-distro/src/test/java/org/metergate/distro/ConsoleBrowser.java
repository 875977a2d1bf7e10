// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Headless Chromium driven through the system's chromedriver (Debian {@code chromium} and {@code chromium-driver}).
 * Both paths are given explicitly, so Selenium Manager never runs and nothing is downloaded. The console presents
 * the gateway's own certificate (self-signed before commissioning, signed by the head-end CA after), which names
 * the gateway id and not 127.0.0.1, so the browser accepts it as a technician does after comparing the fingerprint.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of(System.getProperty("metergate.chromedriver", "/usr/bin/chromedriver"));
    private static final List<Path> CHROMIUM_CANDIDATES = List.of(Path.of("/usr/bin/chromium"),
            Path.of("/usr/bin/chromium-browser"));

    private static final int MAX_SHOT_HEIGHT = 2400;

    private final ChromeDriver driver;
    private final String base;
    private final Path screenshots;
    private final Path profile;
    private int shots;

    private ConsoleBrowser(ChromeDriver driver, String base, Path screenshots, Path profile) {
        this.driver = driver;
        this.base = base;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    /** The Chromium executable, if one is installed. */
    static Optional<Path> chromium() {
        String configured = System.getProperty("metergate.chromium");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return CHROMIUM_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    static boolean installed() {
        return chromium().isPresent() && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts the browser for the console at {@code base} (for example {@code https://127.0.0.1:8443}). */
    static ConsoleBrowser open(String base, Path screenshots) throws IOException {
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("metergate-chromium-");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(screenshots.toFile(), "chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--lang=en-GB");
        options.setAcceptInsecureCerts(true);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1200, 860));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new ConsoleBrowser(driver, base, screenshots, profile);
    }

    WebDriver driver() {
        return driver;
    }

    void go(String path) {
        driver.get(base + path);
    }

    String title() {
        return driver.getTitle();
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    /** Clicks the navigation link with this text and waits for the page of that title. */
    void navigate(String linkText, String pageTitle, Duration timeout) {
        find(By.xpath("//nav/a[normalize-space()='" + linkText + "']")).click();
        awaitTitle(pageTitle, timeout);
    }

    void awaitTitle(String pageTitle, Duration timeout) {
        await("the page '" + pageTitle + "'", timeout,
                d -> d.getTitle().startsWith(pageTitle + " - ") ? Boolean.TRUE : null);
    }

    /**
     * Waits until the condition gives a non-null, non-false value; pages that reload themselves (HTTP Refresh)
     * replace their elements meanwhile, so stale and missing elements just mean "look again".
     */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        return new FluentWait<WebDriver>(driver).withTimeout(timeout).pollingEvery(Duration.ofMillis(200))
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waiting for " + what + "; the page shows:\n" + safeBodyText())
                .until(condition);
    }

    /** As {@link #await}, reloading the page between looks (for pages that do not reload themselves). */
    <T> T awaitReloading(String what, Duration timeout, Function<WebDriver, T> condition) {
        return await(what, timeout, d -> {
            T value;
            try {
                value = condition.apply(d);
            } catch (NoSuchElementException | StaleElementReferenceException e) {
                value = null;
            }
            if (value == null || Boolean.FALSE.equals(value)) {
                d.navigate().refresh();
                return null;
            }
            return value;
        });
    }

    private String safeBodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no page: " + e.getMessage() + ")";
        }
    }

    /** Saves the page as {@code NN-name.png} in the screenshot directory; returns the file. */
    Path screenshot(String name) throws IOException {
        // the whole page, not just the window: the window grows to the page's height for the shot
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
        int wanted = Math.min(MAX_SHOT_HEIGHT, height.intValue() + (window.getHeight() - viewportHeight()));
        if (wanted > window.getHeight()) {
            driver.manage().window().setSize(new Dimension(window.getWidth(), wanted));
        }
        File png;
        try {
            png = driver.getScreenshotAs(OutputType.FILE);
        } finally {
            driver.manage().window().setSize(window);
        }
        Path target = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
        Files.move(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private int viewportHeight() {
        return ((Number) driver.executeScript("return window.innerHeight;")).intValue();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
