package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.Prerequisites;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser demo page (served by push-api at /demo/) in headless Chromium: it mints a token (a signed
 * request, made with WebCrypto), connects
 * to an access node over WebSocket, shows a message pushed through the REST API and sends an uplink.
 */
@ExtendWith(HeraldSuite.class)
class BrowserDemoTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @Test
    void theDemoPageShowsAPushedMessage() throws Exception {
        Prerequisites.require(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "Chromium (apt-get install -y chromium chromium-driver; .ci/run does)");
        HeraldSuite suite = HeraldSuite.get();
        PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "browser-" + UUID.randomUUID().toString().substring(0, 8);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        Path profile = Files.createTempDirectory("herald-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(suite.api.baseUrl() + "/demo/index.html?autoconnect=1&device=" + deviceId
                    + "&ws=ws://127.0.0.1:" + suite.access1Port + "/ws");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.textToBe(By.id("status"), "connected"));
            // On 127.0.0.1 the page has WebCrypto, so it signed its token request rather than use HTTP Basic.
            assertThat(browser.findElement(By.id("auth")).getText()).startsWith("signed");

            String id = api.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"Hello, browser\",\"offline\":true}");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.push[data-id='" + id + "']")));
            assertThat(browser.findElement(By.cssSelector("li.push[data-id='" + id + "']")).getText()).contains("Hello, browser");

            browser.findElement(By.id("uplink")).click();
            wait.until(d -> !d.findElement(By.id("uplinkResult")).getText().equals("sending…")
                    && !d.findElement(By.id("uplinkResult")).getText().isEmpty());

            File shot = browser.getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "browser-demo.png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isPositive();
        } finally {
            browser.quit();
        }
    }
}
