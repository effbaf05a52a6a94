package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.engine.testplugins.ShoutPlugin;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.samples.issue.IssuePlugin;
import dev.htmlize.samples.narcissist.NarcissistPlugin;
import dev.htmlize.samples.toc.TocPlugin;
import dev.htmlize.samples.tt.TtPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same plugin classes as processes and called in this JVM give the same pages. */
class PluginLauncherTest {
  @TempDir
  Path temp;

  private final RecordingLog log = new RecordingLog();

  private static Htmlizer htmlizerFor(PluginSpec spec) {
    return switch (spec.name()) {
      case "htmlize-tt-plugin" -> new TtPlugin();
      case "htmlize-narcissist-plugin" -> new NarcissistPlugin();
      case "htmlize-issue-plugin" -> new IssuePlugin();
      case "htmlize-toc-plugin" -> new TocPlugin();
      case "shout" -> new ShoutPlugin();
      default -> null;
    };
  }

  private List<PluginSpec> samples() {
    return List.of(TestPlugins.tt(), TestPlugins.narcissist(),
        TestPlugins.spec("htmlize-issue-plugin", IssuePlugin.class, Map.of("baseUrl", "https://t.example/i/")),
        TestPlugins.spec("htmlize-toc-plugin", TocPlugin.class, Map.of("levels", "1-2")));
  }

  private RenderRequest request(Path src, String name) {
    RenderRequest.Builder builder = RenderRequest.builder(src, temp.resolve(name), temp.resolve(name + "-work"));
    samples().forEach(builder::plugin);
    return builder.build();
  }

  @Test
  void inProcessPluginsRenderTheSameBytesAsPluginProcesses() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("a.md"), """
        ---
        title: A
        author: Ann
        ---
        # A

        <!-- toc -->

        ## One

        :tt:`x < y` and :issue:`7`, said I.
        """, StandardCharsets.UTF_8);
    Files.writeString(src.resolve("b.txt"), "line :tt:`b`\n\n:issue:`8`\n", StandardCharsets.UTF_8);

    RenderSummary processes = new Engine(log).render(request(src, "processes"));
    RenderSummary direct = new Engine(log, PluginLauncher.inProcess(PluginLauncherTest::htmlizerFor))
        .render(request(src, "direct"));

    assertThat(direct.rendered()).isEqualTo(processes.rendered()).isEqualTo(2);
    assertThat(direct.plugins()).isEqualTo(4);
    for (String page : List.of("a.html", "b.html")) {
      assertThat(Files.readString(temp.resolve("direct").resolve(page)))
          .contains("<tt>", "class=\"issue\"")
          .isEqualTo(Files.readString(temp.resolve("processes").resolve(page)));
    }
    try (Stream<Path> files = Files.list(temp.resolve("direct"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("a.html", "b.html", SiteOutputs.STYLESHEET);
    }
  }

  @Test
  void anInProcessPluginThatThrowsNamesThePluginAndThePage() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("p.md"), "first\n\nthen :fail:`this`\n", StandardCharsets.UTF_8);
    RenderRequest request = RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
        .plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of())).build();

    assertThatThrownBy(() -> new Engine(log, PluginLauncher.inProcess(PluginLauncherTest::htmlizerFor))
        .render(request))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("p.md:3: plugin shout: IllegalArgumentException: cannot render this");
  }
}
