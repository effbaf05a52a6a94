package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.serve.Preview;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The preview in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's chromedriver, opens
 * a served page; the page's source is edited on disk; the page in the browser changes by itself (it reloaded: a mark
 * set in the old page is gone), with no reload asked for.
 */
class BrowserReloadTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private Path root;
  private Preview preview;
  private ChromeDriver browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (preview != null) {
      preview.close();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Test
  void anEditedPageReloadsItselfInTheBrowser() throws Exception {
    root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "browser-tests")).toAbsolutePath(),
        "site-");
    if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
      String message = "Debian's chromium and chromium-driver are not installed (dev/install-test-deps installs them)";
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    Path src = Files.createDirectories(root.resolve("src"));
    Path page = src.resolve("index.md");
    Files.writeString(page, "# Home\n\nThe first version.\n", StandardCharsets.UTF_8);
    RenderRequest request = RenderRequest.builder(src, root.resolve("out"), root.resolve("work"))
        .layout(new Layout.Default()).siteTitle("Browser").layoutDirectory(root.resolve("layouts")).build();
    preview = Preview.start(new LiveSite(request, new RecordingLog()), List.of(src), "127.0.0.1", 0,
        new RecordingLog());

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // As root, Chromium needs --no-sandbox; on a closed network, the background connections are refused noisily.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + root.resolve("chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.get("http://127.0.0.1:" + preview.port() + "/index.html");
    assertThat(browser.findElement(By.cssSelector("article p")).getText()).isEqualTo("The first version.");
    ((JavascriptExecutor) browser).executeScript("window.htmlizeTestMark = 'the old page';");
    // The page listens to the server before the edit: wait until its event stream is open.
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> (Boolean) ((JavascriptExecutor) driver)
        .executeScript("return window.htmlizePreview !== undefined && window.htmlizePreview.readyState === 1;"));

    Files.writeString(page, "# Home\n\nThe second version.\n", StandardCharsets.UTF_8);

    // Read in one script, inside the page: between two driver calls the page may be replaced by its reload, and a
    // node found in the old document cannot be read in the new one. While the reload is under way, the driver's
    // calls can fail (a stale node, a document being replaced, a context destroyed); the wait tries again, and when
    // it times out it reports the last of them.
    new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(WebDriverException.class).until(driver ->
        "The second version.".equals(((JavascriptExecutor) driver).executeScript(
            "var p = document.querySelector('article p'); return p === null ? null : p.textContent;")));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.htmlizeTestMark === undefined;"))
        .as("the page reloaded itself").isEqualTo(true);
    assertThat(Files.readString(root.resolve("out/index.html"))).doesNotContain("EventSource");
  }
}
