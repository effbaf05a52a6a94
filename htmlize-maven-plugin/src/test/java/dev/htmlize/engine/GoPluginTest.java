package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.LogEntry;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.Post;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.RoleOccurrence;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Go sample plugin (go-plugin 1.0.1, as Debian packages it) under the Java host. */
class GoPluginTest {
  @TempDir
  Path temp;

  @Test
  void theGoPluginRendersTheSamePagesAsTheJavaTtPlugin() throws Exception {
    Path goTt = GoTools.goTtPlugin();
    Path src = Files.createDirectories(temp.resolve("src/docs"));
    Files.writeString(src.resolve("page.md"), """
        ---
        title: Same bytes
        author: Joe
        ---
        # Roles in :tt:`headings`

        An :tt:`a < b && "c"`, a quote :tt:`it's`, :tt:`ünï — ☃` and a backtick :tt:`` a`b ``.

        An empty one: :tt:``

        | code | note |
        |---|---|
        | :tt:`<br>` | in a table |

        Not in code: `` :tt:`x` ``.
        """, StandardCharsets.UTF_8);
    Files.writeString(temp.resolve("src/article.txt"), """
        The :tt:`<b>` element
        and :tt:`&amp;`.

        Second paragraph :tt:`"q"`.
        """, StandardCharsets.UTF_8);
    PluginSpec go = new PluginSpec("htmlize-go-tt-plugin", List.of(goTt.toString()), Map.of(), Map.of(), null,
        "htmlize-go-tt-plugin");
    RecordingLog javaLog = new RecordingLog();
    RecordingLog goLog = new RecordingLog();

    RenderSummary javaSummary = new Engine(javaLog).render(request(temp.resolve("src"), "java", TestPlugins.tt()));
    RenderSummary goSummary = new Engine(goLog).render(request(temp.resolve("src"), "go", go));

    assertThat(goSummary.rendered()).isEqualTo(javaSummary.rendered()).isEqualTo(2);
    assertThat(goSummary.plugins()).isEqualTo(1);
    assertThat(goLog.warn).isEmpty();
    assertThat(goLog.error).isEmpty();
    assertThat(goLog.debug).as("the plugin's hclog line, at its level").contains(
        "[htmlize-go-tt-plugin] configured @module=tt properties=0");
    List<Path> pages = List.of(Path.of("article.html"), Path.of("docs/page.html"));
    assertThat(files(temp.resolve("out-go"))).isEqualTo(files(temp.resolve("out-java")))
        .isEqualTo(List.of(pages.get(0), pages.get(1), Path.of(SiteOutputs.STYLESHEET)));
    for (Path page : pages) {
      byte[] goBytes = Files.readAllBytes(temp.resolve("out-go").resolve(page));
      byte[] javaBytes = Files.readAllBytes(temp.resolve("out-java").resolve(page));
      assertThat(new String(goBytes, StandardCharsets.UTF_8)).as(page.toString())
          .isEqualTo(new String(javaBytes, StandardCharsets.UTF_8));
      assertThat(goBytes).as(page.toString()).isEqualTo(javaBytes);
    }
    String html = Files.readString(temp.resolve("out-go/docs/page.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("<tt>a &lt; b &amp;&amp; &quot;c&quot;</tt>", "<tt>it&#39;s</tt>",
        "<tt>ünï — ☃</tt>", "<tt>a`b</tt>", "<tt>&lt;br&gt;</tt>", "<code>:tt:`x`</code>",
        "An empty one: <tt></tt>");
    assertThat(Files.readString(temp.resolve("out-go/article.html"), StandardCharsets.UTF_8))
        .contains("<p>The <tt>&lt;b&gt;</tt> element and <tt>&amp;amp;</tt>.</p>");
  }

  /**
   * What go-plugin 1.0.1 plugins lack (no {@code plugin.GRPCStdio}; the socket in the temp directory, since they
   * ignore {@code PLUGIN_UNIX_SOCKET_DIR}) costs nothing: the runtime connects, calls, and shuts the plugin down
   * gracefully, without the 2 s kill.
   */
  @Test
  void theJavaHostRunsAGoPlugin101ThatHasNoStdioService() throws Exception {
    Path goTt = GoTools.goTtPlugin();
    List<LogEntry> logs = new CopyOnWriteArrayList<>();
    CountDownLatch noStdio = new CountDownLatch(1);
    ClientConfig config = ClientConfig.builder("go-tt", HtmlizeProtocol.HANDSHAKE)
        .command(List.of(goTt.toString())).socketParent(temp).logger(entry -> {
          logs.add(entry);
          if (entry.level() == LogLevel.DEBUG && entry.message().contains("does not implement plugin.GRPCStdio")) {
            noStdio.countDown();
          }
        }).build();
    Post post = Post.newBuilder().setId(1).setSourcePath("a.md").setOutputPath("a.html").build();

    PluginClient client = PluginClient.start(config);
    Duration shutdown;
    try (client) {
      HtmlizerGrpc.HtmlizerBlockingStub tt = client.dispense(HtmlizerGrpc::newBlockingStub);
      assertThat(tt.hooks(HooksRequest.getDefaultInstance()).getHooksList()).containsExactly("role:tt");
      assertThat(tt.processRoles(ProcessRolesRequest.newBuilder().setPost(post)
          .addRoles(RoleOccurrence.newBuilder().setRole("tt").setValue("a<b").setLine(1))
          .addRoles(RoleOccurrence.newBuilder().setRole("tt").setValue("").setLine(2))
          .build()).getHtmlList()).containsExactly("<tt>a&lt;b</tt>", "<tt></tt>");
      assertThat(tt.processContents(ProcessContentsRequest.newBuilder().setHtml("<p>x</p>").setPost(post).build())
          .getHtml()).isEqualTo("<p>x</p>");
      assertThatThrownBy(() -> tt.processRole(ProcessRoleRequest.newBuilder().setRole("kbd").setValue("x")
          .setPost(post).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
              .isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("plugin go-tt (pid " + client.pid().orElseThrow() + ")")
          .hasMessageContaining("no htmlizer here registers the role kbd");
      client.ping(Duration.ofSeconds(5));
      assertThat(noStdio.await(10, TimeUnit.SECONDS)).as("the host noticed that the plugin has no stdio service")
          .isTrue();
      long closing = System.nanoTime();
      client.close();
      shutdown = Duration.ofNanos(System.nanoTime() - closing);
    }

    assertThat(client.exitStatus()).hasValue(0);
    assertThat(shutdown).isLessThan(Duration.ofSeconds(2));
    assertThat(logs).noneMatch(e -> e.message().contains("failed to exit gracefully"));
    LogEntry address = logs.stream().filter(e -> e.structured() && e.message().equals("plugin address"))
        .findFirst().orElseThrow();
    assertThat(address.fields()).containsEntry("network", "unix");
    assertThat(Path.of(address.fields().get("address"))).as("the plugin's socket, outside the host's directory")
        .doesNotExist();
    assertThat(temp).isEmptyDirectory();
    System.out.printf("Go plugin (go-plugin 1.0.1) under the Java host: close (Shutdown to exit) %d ms%n",
        shutdown.toMillis());
  }

  /**
   * A go-plugin 1.0.1 plugin puts its socket in the temp directory, not in the host's private one, and leaves it
   * there when it is killed: the host reports the death and removes that socket.
   */
  @Test
  void aKilledGoPlugin101IsReportedAndLeavesNoSocketBehind() throws Exception {
    Path goTt = GoTools.goTtPlugin();
    List<LogEntry> logs = new CopyOnWriteArrayList<>();
    ClientConfig config = ClientConfig.builder("go-tt", HtmlizeProtocol.HANDSHAKE)
        .command(List.of(goTt.toString())).socketParent(temp).logger(logs::add).build();

    PluginClient client = PluginClient.start(config);
    Path socket = Path.of(client.reattachConfig().address());
    try (client) {
      // go-plugin 1.0.1 ignores PLUGIN_UNIX_SOCKET_DIR; the sample points its temporary directory there instead.
      assertThat(socket.startsWith(temp)).as("the plugin's socket is in the host's socket directory").isTrue();
      assertThat(socket).exists();
      ProcessHandle.of(client.pid().orElseThrow()).orElseThrow().destroyForcibly();
      client.onExit().get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> client.dispense(HtmlizerGrpc::newBlockingStub)
          .hooks(HooksRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
              .isEqualTo(Status.Code.UNAVAILABLE))
          .hasMessageContaining("plugin go-tt (pid " + client.pid().orElseThrow() + ")")
          .hasMessageContaining("was killed by signal 9");
    }

    assertThat(socket).as("the socket the killed plugin left").doesNotExist();
    assertThat(temp).isEmptyDirectory();
  }

  /**
   * The sample watches its host, as the Java SDK's plugins do: go-plugin has no such watch, and a Go plugin that
   * writes nothing to stderr would outlive a build killed with SIGKILL.
   */
  @Test
  @Timeout(60)
  void theGoPluginEndsWithinTwoSecondsWhenItsHostIsKilled() throws Exception {
    Path goTt = GoTools.goTtPlugin();
    // A shell stands in for the host: it starts the plugin with the cookie, prints the plugin's pid, and waits.
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", "\"$0\" & echo \"pid=$!\"; wait", goTt.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment()
        .put(HtmlizeProtocol.HANDSHAKE.magicCookieKey(), HtmlizeProtocol.HANDSHAKE.magicCookieValue());
    builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "1");
    Process host = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    long pid = 0;
    Path socket = null;
    while (pid == 0 || socket == null) {
      String line = out.readLine();
      assertThat(line).as("the plugin's pid and handshake line").isNotNull();
      if (line.startsWith("pid=")) {
        pid = Long.parseLong(line.substring("pid=".length()));
      } else {
        socket = Path.of(line.split("\\|")[3]);
      }
    }

    host.destroyForcibly();
    host.waitFor();

    try {
      assertThat(GoTools.awaitStopped(pid, Duration.ofSeconds(2))).as("the plugin stopped").isTrue();
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      Files.deleteIfExists(socket);
    }
  }

  private RenderRequest request(Path src, String name, PluginSpec plugin) {
    return RenderRequest.builder(src, temp.resolve("out-" + name), temp.resolve("work-" + name))
        .plugin(plugin).build();
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
