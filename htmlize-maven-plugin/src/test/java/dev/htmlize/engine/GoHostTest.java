package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java tt plugin under a host written in Go with go-plugin 1.0.1, as Debian packages it ({@code
 * src/test/go/gohost}): the host launches it with the command a Java plugin runs with ({@code java}, clean-stdout
 * options, class path in an argument file), dispenses it, checks its answers, and shuts it down with go-plugin's
 * {@code Kill}, which waits 2 s for the plugin to exit after {@code Shutdown} and kills it otherwise.
 */
class GoHostTest {
  @Test
  void aGoPluginHostRunsTheJavaTtPluginAndItExitsByItselfAfterShutdown() throws Exception {
    Path host = GoTools.goHost();
    List<String> command = new ArrayList<>(List.of(host.toString()));
    command.addAll(TestPlugins.tt().command());
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String stdout = read(process.getInputStream());

    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the Go host finishes").isTrue();
    String log = stderr.get(1, TimeUnit.MINUTES);
    Map<String, String> report = stdout.lines().filter(line -> line.contains("="))
        .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
            line -> line.substring(line.indexOf('=') + 1)));
    assertThat(stdout).as("the Go host's report; its log:%n%s", log).doesNotContain("FAIL").endsWith("OK\n");
    assertThat(process.exitValue()).isZero();
    assertThat(report).containsEntry("version", "1").containsEntry("network", "unix")
        .containsEntry("hooks", "[role:tt]").containsEntry("process_roles", "3")
        .containsEntry("exit", "status 0").containsEntry("killed_by_host", "false")
        .containsEntry("socket_removed", "true");
    assertThat(Long.parseLong(report.get("shutdown_ms"))).as("go-plugin's Kill, from Shutdown to the plugin's exit")
        .isLessThan(2000);
    assertThat(log).contains("plugin exited").doesNotContain("plugin failed to exit gracefully");
    System.out.printf("Java tt plugin under go-plugin 1.0.1: launch to handshake %s ms; Kill (Shutdown to exit) "
        + "%s ms%n", report.get("handshake_ms"), report.get("shutdown_ms"));
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
