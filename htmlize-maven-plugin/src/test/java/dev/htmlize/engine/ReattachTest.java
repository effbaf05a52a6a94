package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.ReattachConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debugging a plugin: started by hand with {@code --debug}, it prints its reattach line; a build told to reattach
 * uses that process instead of launching one, and leaves it running.
 */
class ReattachTest {
  @TempDir
  Path temp;

  @Test
  void aBuildUsesAPluginStartedByHandAndLeavesItRunning() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("a.md"), "Run :tt:`make`.\n");
    List<String> command = new ArrayList<>(TestPlugins.tt().command());
    command.add("--debug");
    Process plugin = new ProcessBuilder(command).redirectError(temp.resolve("plugin.err").toFile()).start();
    Path socket = null;
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(plugin.getInputStream(),
          StandardCharsets.UTF_8));
      ReattachConfig running = ReattachConfig.fromJson(stdout.readLine());
      socket = Path.of(running.address());
      assertThat(running.pid()).isEqualTo(plugin.pid());
      assertThat(running.test()).isTrue();
      RecordingLog log = new RecordingLog();

      RenderSummary summary = new Engine(log).render(RenderRequest.builder(src, temp.resolve("out"),
              temp.resolve("work")).layout(new Layout.None())
          .plugin(TestPlugins.tt()).plugin(TestPlugins.narcissist())
          .reattach("htmlize-tt-plugin", running).build());

      assertThat(summary.plugins()).isEqualTo(2);
      assertThat(Files.readString(temp.resolve("out/a.html"))).isEqualTo("<p>Run <tt>make</tt>.</p>\n");
      assertThat(log.info).anySatisfy(line -> assertThat(line)
          .contains("plugin htmlize-tt-plugin is the running one").contains("pid " + plugin.pid())
          .contains("stays running"));
      assertThat(plugin.isAlive()).as("the reattached plugin is left running").isTrue();

      // A second build (the configuration changed: nothing is up to date) reattaches to the same process again.
      Files.writeString(src.resolve("a.md"), "Run :tt:`make all`.\n");
      new Engine(log).render(RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
          .layout(new Layout.None()).plugin(TestPlugins.tt()).reattach("htmlize-tt-plugin", running).build());
      assertThat(Files.readString(temp.resolve("out/a.html"))).isEqualTo("<p>Run <tt>make all</tt>.</p>\n");
      assertThat(plugin.isAlive()).isTrue();
    } finally {
      plugin.destroy();
      plugin.waitFor();
    }
    assertThat(socket).as("the socket of a debug plugin ended by SIGTERM").doesNotExist();
    assertThat(socket.getParent()).as("its private directory").doesNotExist();
  }

  @Test
  void reattachingToAPluginTheBuildDoesNotDeclareIsRefusedNamingThePlugins() {
    ReattachConfig somewhere = ReattachConfig.fromJson(
        "{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":0,\"Test\":true,"
            + "\"Addr\":{\"Network\":\"unix\",\"String\":\"/nonexistent/plugin\"}}");
    assertThatThrownBy(() -> RenderRequest.builder(temp, temp.resolve("out"), temp.resolve("work"))
        .plugin(TestPlugins.tt()).reattach("htmlize-toc-plugin", somewhere).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("htmlize-toc-plugin")
        .hasMessageContaining("[htmlize-tt-plugin]");
  }

  @Test
  void aReattachAddressWhereNothingListensFailsBeforeAnyPage() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("a.md"), ":tt:`x`\n");
    ReattachConfig gone = ReattachConfig.fromJson(
        "{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":0,\"Test\":true,"
            + "\"Addr\":{\"Network\":\"unix\",\"String\":\"" + temp.resolve("nothing-here") + "\"}}");

    assertThatThrownBy(() -> new Engine(new RecordingLog()).render(RenderRequest.builder(src, temp.resolve("out"),
            temp.resolve("work")).plugin(TestPlugins.tt()).reattach("htmlize-tt-plugin", gone).build()))
        .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p.where()).isEqualTo("plugin htmlize-tt-plugin")));
    assertThat(temp.resolve("out/a.html")).doesNotExist();
  }
}
