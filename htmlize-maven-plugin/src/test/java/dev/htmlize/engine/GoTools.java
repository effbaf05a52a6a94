package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Go pieces of the cross-language tests: the Go sample plugin (built by its module, {@code
 * sample-plugins/htmlize-go-tt-plugin}, with Debian's Go and go-plugin 1.0.1) and the go-plugin host in
 * {@code src/test/go/gohost}, built here, offline in GOPATH mode, against the stubs of the Go SDK
 * ({@code htmlize-plugin-go}, a GOPATH root).
 *
 * <p>When they are missing, tests that need them are skipped, unless the system property
 * {@code htmlize.requireCrossLanguage} is {@code true} (as in CI), which makes them fail instead.
 */
final class GoTools {
  static final Path GO_TT_PLUGIN_BUILD = Path.of("../sample-plugins/htmlize-go-tt-plugin/target/plugin")
      .toAbsolutePath().normalize();
  static final Path GO_TT_PLUGIN = GO_TT_PLUGIN_BUILD.resolve("htmlize-go-tt-plugin");
  private static final Path GO = Path.of("/usr/bin/go");
  private static final Path DEBIAN_GOPATH = Path.of("/usr/share/gocode");
  private static final Path SDK_GOPATH = Path.of("../htmlize-plugin-go").toAbsolutePath().normalize();

  private static Path goHost;

  private GoTools() {
  }

  /** The Go sample plugin's executable. */
  static Path goTtPlugin() {
    if (!Files.isExecutable(GO_TT_PLUGIN)) {
      missing(GO_TT_PLUGIN + " is not built: it needs Debian's golang-go, golang-github-hashicorp-go-plugin-dev, "
          + "and golang-google-grpc-dev");
    }
    return GO_TT_PLUGIN;
  }

  /** The go-plugin 1.0.1 host of {@code src/test/go/gohost}, built once per test run. */
  static synchronized Path goHost() throws IOException, InterruptedException {
    if (goHost != null) {
      return goHost;
    }
    goTtPlugin();
    if (!Files.isExecutable(GO)) {
      missing(GO + " (golang-go)");
    }
    Path out = Path.of("target/go-host/gohost").toAbsolutePath();
    Files.createDirectories(out.getParent());
    ProcessBuilder build = new ProcessBuilder(GO.toString(), "build", "-trimpath", "-o", out.toString(), "main.go")
        .directory(Path.of("src/test/go/gohost").toAbsolutePath().toFile())
        .redirectErrorStream(true);
    build.environment().put("GO111MODULE", "off");
    build.environment().put("GOPROXY", "off");
    build.environment().put("GOFLAGS", "");
    build.environment().put("GOPATH", SDK_GOPATH + ":" + DEBIAN_GOPATH);
    Process go = build.start();
    String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(go.waitFor(10, TimeUnit.MINUTES)).as("go build finishes").isTrue();
    assertThat(go.exitValue()).as("go build of the Go host:%n%s", output).isZero();
    goHost = out;
    return out;
  }

  /**
   * Waits until a process that is not this JVM's child has stopped running, polling every 10 ms (there is no event
   * to wait on). An exited process that its new parent has not reaped yet (a zombie) counts as stopped.
   *
   * @return whether it stopped within the timeout
   */
  static boolean awaitStopped(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static void missing(String what) {
    String message = "cross-language tests need " + what + "; dev/install-test-deps installs it";
    if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }
}
