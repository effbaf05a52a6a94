package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a plugin can fail to start is a configuration error before any page is rendered, naming the plugin and
 * saying what to fix; the plugins that did start are stopped. The plugins here are real programs (shell scripts).
 */
class PluginStartFailureTest {
  @TempDir
  Path temp;

  private Path src;

  @BeforeEach
  void page() throws Exception {
    src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("a.md"), "Hello :tt:`x`.\n");
  }

  private Path script(String body, boolean executable) throws Exception {
    Path file = temp.resolve("plugin.sh");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------"));
    return file;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', textBlock = """
      missing program      # -                                                      # true  # cannot run
      not executable       # echo never                                             # false # cannot run
      never handshakes     # exec sleep 30                                          # true  # printed no handshake line within 3 s
      prints garbage       # echo 'Hello from a plugin'; exec sleep 30              # true  # printed an unexpected first line
      no common version    # echo '1|9|unix|/nonexistent/s|grpc|'; exec sleep 30    # true  # chose app protocol version 9
      netrpc plugin        # echo '1|1|unix|/nonexistent/s|netrpc|'; exec sleep 30  # true  # only grpc plugins are supported
      exits with a message # echo 'This binary is a plugin.' >&2; exit 1            # true  # This binary is a plugin.
      """)
  void isAConfigurationErrorBeforeAnyPage(String name, String body, boolean executable, String says)
      throws Exception {
    Path program = body.equals("-") ? temp.resolve("no-such-plugin") : script(body, executable);
    PluginSpec bad = new PluginSpec("bad", List.of(program.toString()), Map.of(), Map.of(), null, "bad");
    long started = System.nanoTime();

    RenderException failure = catchThrowableOfType(RenderException.class, () -> new Engine(new RecordingLog())
        .render(RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
            .plugin(TestPlugins.tt()).plugin(bad).startTimeout(Duration.ofSeconds(3)).build()));

    assertThat(failure).isNotNull();
    assertThat(failure.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.where()).isEqualTo("plugin bad");
      assertThat(problem.message()).contains(says).doesNotStartWith("plugin bad");
    });
    assertThat(temp.resolve("out/a.html")).doesNotExist();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait beyond the start timeout")
        .isLessThan(Duration.ofSeconds(3 + 20));
  }

  @Test
  void aPluginOnPlaintextTcpIsRefusedWithWhatToSetAndRendersOnceAllowedOrSecured() throws Exception {
    // The Java tt plugin, asked to listen on TCP (the runtime's hosts never ask that themselves).
    String command = TestPlugins.tt().command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
    Path program = script("PLUGIN_NETWORK=tcp exec " + command, true);
    List<String> run = List.of(program.toString());

    RenderException refused = catchThrowableOfType(RenderException.class, () -> render(
        new PluginSpec("tcp-tt", run, Map.of(), Map.of(), null, "tcp-tt")));

    assertThat(refused.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
        .contains("listens on plaintext TCP (127.0.0.1:")
        .endsWith("(in the plugin's configuration: <autoMtls>true</autoMtls> if it supports AutoMTLS, or "
            + "<allowPlaintextTcp>true</allowPlaintextTcp> to accept plaintext TCP)"));

    render(new PluginSpec("tcp-tt", run, Map.of(), Map.of(), null, "tcp-tt").withTransport(false, true));
    assertThat(Files.readString(temp.resolve("out/a.html"))).isEqualTo("<p>Hello <tt>x</tt>.</p>\n");
    Files.delete(temp.resolve("out/a.html"));
    render(new PluginSpec("tcp-tt", run, Map.of(), Map.of(), null, "tcp-tt with AutoMTLS").withTransport(true, false));
    assertThat(Files.readString(temp.resolve("out/a.html"))).isEqualTo("<p>Hello <tt>x</tt>.</p>\n");
  }

  private void render(PluginSpec plugin) throws RenderException {
    new Engine(new RecordingLog()).render(RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
        .plugin(plugin).layout(new Layout.None()).build());
  }
}
