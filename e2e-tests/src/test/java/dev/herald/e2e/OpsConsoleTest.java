package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testsupport.Prerequisites;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ops console (served by the config-server at /console/) in headless Chromium against the whole suite: it
 * shows every instance with its health, connections and the eight pool columns, browses and edits the config
 * tree (an app created and then re-keyed there works at push-api within seconds), and captures, summarises and
 * diffs profiling snapshots. Every screenshot is checked: a PNG of the window's size with real content, taken
 * while the DOM shows what it should. {@code -Dherald.console.screenshot=<file>} also writes the cluster view's
 * screenshot there (how docs/images/ops-console.png is made).
 */
@ExtendWith(HeraldSuite.class)
class OpsConsoleTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    private static final Path SHOTS = Path.of("target", "ops-console");
    private static final List<String> POOL_HEADERS = List.of("pool", "idle", "active", "created",
            "create failures", "acquire time-outs", "call errors", "idle time-outs", "QPS");

    private ChromeDriver browser;
    private WebDriverWait wait;
    private Path downloads;

    @BeforeEach
    void openBrowser() throws IOException {
        Prerequisites.require(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "Chromium (apt-get install -y chromium chromium-driver; .ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        Path profile = Files.createTempDirectory("herald-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // The cluster view re-renders every 5 s; a number may read "–" until its first answer.
        wait.ignoring(StaleElementReferenceException.class).ignoring(NumberFormatException.class);
        downloads = Files.createDirectories(SHOTS.resolve("downloads").toAbsolutePath());
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toString()));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theClusterViewShowsEveryInstanceWithHealthConnectionsAndPoolsAndAConfigEditReachesPushApi() throws Exception {
        HeraldSuite suite = HeraldSuite.get();
        PushApi demo = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "console-" + UUID.randomUUID().toString().substring(0, 8);
        // A connected device for access-1's connection count; a push for traffic through every pool.
        try (Device device = new Device(deviceId, demo.token(deviceId)).connect(suite.access1Port)) {
            demo.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"for the console\",\"offline\":true}");
            signIn();

            List<String[]> expected = List.of(new String[] {"access-service", "access-1"},
                    new String[] {"access-service", "access-2"}, new String[] {"push-api", "push-api"},
                    new String[] {"dispatcher-service", "dispatcher"}, new String[] {"saver-service", "saver"},
                    new String[] {"config-server", "config-server"});
            wait.until(d -> expected.stream().allMatch(e -> "UP".equals(card(e[0], e[1]).getDomAttribute("data-status"))));
            wait.until(d -> metric("access-service", "access-1", "connections") >= 1
                    && poolValue("access-service", "access-1", "redis", "created") > 0);
            // Freeze the page (no more refreshes) so the screenshot and the assertions see the same DOM.
            browser.findElement(By.id("autoRefresh")).click();
            wait.until(d -> "false".equals(d.findElement(By.id("cluster")).getDomAttribute("aria-busy")));

            for (String[] e : expected) {
                WebElement pools = card(e[0], e[1]).findElement(By.cssSelector("table.pools"));
                // Labels may wrap onto two lines in the header.
                assertThat(pools.findElements(By.cssSelector("thead th")).stream()
                        .map(th -> th.getText().replaceAll("\\s+", " ")).toList())
                        .as(e[0] + "/" + e[1]).isEqualTo(POOL_HEADERS);
            }
            assertThat(metric("access-service", "access-1", "connections")).isGreaterThanOrEqualTo(1);
            assertThat(poolValue("access-service", "access-1", "redis", "created")).isPositive();
            assertThat(poolValue("push-api", "push-api", "redis", "qps") + poolValue("push-api", "push-api", "redis", "created"))
                    .as("push-api's Redis pool after a push").isPositive();
            assertThat(card("access-service", "access-1").findElement(By.cssSelector("[data-component=redis]")).getText())
                    .isEqualTo("redis UP");
            assertThat(browser.findElement(By.id("clusterSummary")).getText()).matches("\\d+ instances · \\d+ up · \\d+ not up");
            Path cluster = screenshot("cluster");
            String docs = System.getProperty("herald.console.screenshot");
            if (docs != null && !docs.isBlank()) {
                Files.copy(cluster, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        // The config tree, and an app created there.
        browser.findElement(By.cssSelector("#tabs a[data-view=config]")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#configTree a[data-path='apps/demo']"))).click();
        wait.until(d -> d.findElement(By.id("nodeValue")).getDomProperty("value").contains("\"key\": \"demo-key\""));
        assertThat(browser.findElement(By.id("nodeMeta")).getText()).startsWith("version ");

        String app = "console-" + UUID.randomUUID().toString().substring(0, 6);
        String key = app + "-key";
        String firstSecret = app + "-secret-0123456789";
        String secondSecret = app + "-secret-rotated-9876543210";
        browser.findElement(By.id("newNode")).click();
        browser.findElement(By.id("newPath")).sendKeys("apps/" + app);
        type("nodeValue", appJson(app, key, "too-short"));
        browser.findElement(By.id("saveNode")).click();
        WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#nodeResult .problem[data-code=INVALID_VALUE]")));
        assertThat(problem.findElement(By.cssSelector("li[data-field='value.secrets[0]']")).getText())
                .contains("16");
        screenshot("config-invalid");

        type("nodeValue", appJson(app, key, firstSecret));
        browser.findElement(By.id("saveNode")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#nodeResult .saved[data-version='0']")));
        await().atMost(Duration.ofSeconds(10)).until(() -> mintStatus(suite, app, key, firstSecret) == 201);

        // Re-key it in the editor: the new secret works and the old one no longer does.
        type("nodeValue", appJson(app, key, secondSecret));
        browser.findElement(By.id("saveNode")).click();
        WebElement saved = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#nodeResult .saved[data-version='1']")));
        await().atMost(Duration.ofSeconds(10)).until(() -> mintStatus(suite, app, key, secondSecret) == 201
                && mintStatus(suite, app, key, firstSecret) == 401);
        assertThat(saved.getText()).contains("apps/" + app, "version 1");
        assertThat(browser.findElement(By.cssSelector("#configTree a.selected")).getDomAttribute("data-path"))
                .isEqualTo("apps/" + app);
        assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("nodeMeta")).getText()).contains("version 1", "by e2e-sre");
        screenshot("config-saved");
    }

    @Test
    void theProfilingViewCapturesSummarisesDiffsAndDownloadsSnapshots() throws Exception {
        HeraldSuite suite = HeraldSuite.get();
        signIn();
        browser.get(suite.configServer.baseUrl() + "/console/#profiles/push-api/push-api");
        wait.until(d -> d.findElement(By.id("profileSchedule")).getText().contains("on demand only"));
        assertThat(browser.findElement(By.id("profileInstance")).getDomProperty("value")).isEqualTo("push-api/push-api");

        String first = capture(suite);
        String second = capture(suite);
        WebElement summary = browser.findElement(By.cssSelector("#profileDetail section.summary"));
        assertThat(summary.getDomAttribute("data-snapshot")).isEqualTo(second);
        assertThat(summary.findElements(By.cssSelector(".cpu tbody tr"))).as("CPU methods under load").isNotEmpty();
        assertThat(summary.findElements(By.cssSelector("h4")).stream().map(WebElement::getText).toList())
                .contains("Top CPU methods", "Top allocation sites", "GC pauses by collector");

        browser.findElement(By.cssSelector("#snapshots tr[data-snapshot='" + first + "'] input")).click();
        browser.findElement(By.cssSelector("#snapshots tr[data-snapshot='" + second + "'] input")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("diffSelected"))).click();
        WebElement diff = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#profileDetail section.diff")));
        assertThat(diff.getDomAttribute("data-from")).isEqualTo(first);
        assertThat(diff.getDomAttribute("data-to")).isEqualTo(second);
        assertThat(diff.findElements(By.cssSelector("table.change tbody tr"))).isNotEmpty();
        screenshot("profiling-diff");

        // The download goes through the config-server (the browser never sees a management port).
        browser.findElement(By.cssSelector("#snapshots tr[data-snapshot='" + first + "'] button.download")).click();
        Path file = downloads.resolve("push-api-push-api-" + first + ".jfr");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.size(file) > 4);
        assertThat(Arrays.copyOf(Files.readAllBytes(file), 4)).isEqualTo("FLR\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** Records a 2-second snapshot of push-api while pushes keep it busy; returns its id once it is summarised. */
    private String capture(HeraldSuite suite) {
        WebElement seconds = browser.findElement(By.id("captureSeconds"));
        seconds.clear();
        seconds.sendKeys("2");
        Set<String> before = new HashSet<>(snapshotIds());
        AtomicBoolean recording = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            PushApi demo = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
            while (recording.get()) {
                demo.send("{\"deviceId\":\"console-load\",\"text\":\"load\"}");
            }
        }, "console-profile-load");
        load.start();
        try {
            browser.findElement(By.id("capture")).click();
            WebElement summary = new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class)
                    .until(d -> {
                        WebElement s = d.findElement(By.cssSelector("#profileDetail section.summary"));
                        return before.contains(s.getDomAttribute("data-snapshot")) ? null : s;
                    });
            String id = summary.getDomAttribute("data-snapshot");
            assertThat(id).matches("[0-9]{8}T[0-9]{9}Z-on-demand");
            assertThat(snapshotIds()).contains(id);
            assertThat(browser.findElement(By.id("capture")).getText()).isEqualTo("Capture now");
            return id;
        } finally {
            recording.set(false);
            try {
                load.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<String> snapshotIds() {
        return browser.findElements(By.cssSelector("#snapshots tbody tr")).stream()
                .map(row -> row.getDomAttribute("data-snapshot")).toList();
    }

    private void signIn() {
        browser.get(HeraldSuite.get().configServer.baseUrl() + "/console/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(HeraldSuite.ADMIN_TOKEN);
        browser.findElement(By.id("operator")).sendKeys("e2e-sre");
        browser.findElement(By.cssSelector("#loginForm button[type=submit]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login")));
    }

    private WebElement card(String service, String node) {
        return browser.findElement(By.cssSelector(".instance[data-service='" + service + "'][data-node='" + node + "']"));
    }

    private double metric(String service, String node, String name) {
        String text = card(service, node).findElement(By.cssSelector("[data-metric=" + name + "] dd")).getText();
        return Double.parseDouble(text.replace(",", ""));
    }

    private double poolValue(String service, String node, String pool, String column) {
        String text = card(service, node).findElement(By.cssSelector(
                "table.pools tr[data-pool='" + pool + "'] td[data-column=" + column + "]")).getText();
        return Double.parseDouble(text.replace(",", ""));
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private static String appJson(String app, String key, String secret) {
        return "{\"id\": \"" + app + "\", \"name\": \"Console app\", \"key\": \"" + key + "\", \"secrets\": [\""
                + secret + "\"], \"limits\": {\"messagesPerSecond\": 50}}";
    }

    /** push-api's answer to minting a device token with the app's key and {@code secret}. */
    private static int mintStatus(HeraldSuite suite, String app, String key, String secret) {
        return new PushApi(suite.api.baseUrl(), app, key, secret)
                .post("/v1/apps/" + app + "/device-tokens", "{\"deviceId\":\"console-device\"}").status();
    }

    /**
     * Takes a screenshot of the window and checks it: a PNG of exactly the window's size in device pixels, with
     * real content (many colours, not a blank page).
     */
    private Path screenshot(String name) throws IOException {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        assertThat(Arrays.copyOf(png, 8)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        @SuppressWarnings("unchecked")
        List<Number> size = (List<Number>) ((JavascriptExecutor) browser).executeScript(
                "return [Math.round(innerWidth * devicePixelRatio), Math.round(innerHeight * devicePixelRatio)]");
        int width = ByteBuffer.wrap(png, 16, 4).getInt();
        int height = ByteBuffer.wrap(png, 20, 4).getInt();
        assertThat(width).as(name + " width").isEqualTo(size.get(0).intValue()).isEqualTo(WIDTH);
        assertThat(height).as(name + " height").isEqualTo(size.get(1).intValue());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as(name + " has content").isGreaterThan(50);
        Path file = SHOTS.resolve(name + ".png");
        Files.write(file, png);
        return file;
    }
}
