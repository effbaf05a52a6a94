package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python sample plugin, started as an executable plugin, beside a Java one. */
class PythonPluginTest {
  @TempDir
  Path temp;

  @Test
  void rendersRolesThroughAPythonPluginInBatchesEachPageOnItsOwn() throws Exception {
    PluginSpec abbr = TestPlugins.abbr(Map.of("CSS", "Cascading Style Sheets"));
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("p.md"), "An :abbr:`API (application <programming> interface)`, :abbr:`CSS` "
        + "and :tt:`code`.\n");
    Files.writeString(src.resolve("q.md"), "First :abbr:`OK`.\n\nThen :abbr:` ` is empty.\n");
    Files.writeString(src.resolve("r.md"), "And :abbr:`CSS`.\n");
    RecordingLog log = new RecordingLog();

    // One thread: p and q go in one batch, r in another. The page q fails alone, at its empty abbreviation's line.
    RenderException failure = Assertions.assertThrows(RenderException.class, () -> new Engine(log).render(
        RenderRequest.builder(src, temp.resolve("out"), temp.resolve("w")).plugin(abbr).plugin(TestPlugins.tt())
            .layout(new Layout.None()).threads(1).build()));

    assertThat(failure.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.where()).isEqualTo("q.md");
      assertThat(problem.line()).isEqualTo(3);
      assertThat(problem.message()).startsWith("plugin abbr (pid ").endsWith("): ValueError: an empty abbreviation");
    });
    assertThat(log.debug).as("the Python SDK serves the batch calls").noneMatch(line -> line.contains("abbr does not"));
    assertThat(Files.readString(temp.resolve("out/r.html"), StandardCharsets.UTF_8))
        .isEqualTo("<p>And <abbr title=\"Cascading Style Sheets\">CSS</abbr>.</p>\n");
    assertThat(Files.readString(temp.resolve("out/p.html"), StandardCharsets.UTF_8)).isEqualTo(
        "<p>An <abbr title=\"application &lt;programming&gt; interface\">API</abbr>, "
            + "<abbr title=\"Cascading Style Sheets\">CSS</abbr> and <tt>code</tt>.</p>\n");
  }
}
