package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.samples.issue.IssuePlugin;
import dev.htmlize.samples.ref.RefPlugin;
import dev.htmlize.samples.toc.TocPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sample plugins write, in the built-in theme and the demo's own layout, is valid HTML by the Nu HTML
 * Checker, and its links lead somewhere: the demo site's pages (Markdown and the article's text format) through every
 * sample plugin, the Java ones and the
 * Python ones, then with the Go plugin in place of the Java {@code tt}. The {@code tt} plugins write the article's
 * {@code <tt>} unless told otherwise, which HTML5 calls obsolete; here, as in the demo, they write {@code <code>}.
 */
class ValidHtmlTest {
  private static final Path DEMO = Path.of("../examples/demo-site").toAbsolutePath().normalize();
  /** The demo site's pages, its draft left out. */
  private static final int DEMO_PAGES = 8;

  @TempDir
  Path temp;

  @Test
  void theDemoSiteThroughEveryJavaAndPythonSamplePluginIsValidInTheThemeAndItsOwnLayout() throws Exception {
    List<PluginSpec> plugins = new ArrayList<>(List.of(
        TestPlugins.spec("htmlize-tt-plugin", dev.htmlize.samples.tt.TtPlugin.class, Map.of("element", "code")),
        TestPlugins.narcissist(),
        TestPlugins.spec("htmlize-issue-plugin", IssuePlugin.class, Map.of("baseUrl", "https://t.example/i/")),
        TestPlugins.spec("htmlize-toc-plugin", TocPlugin.class, Map.of("levels", "2-3")),
        TestPlugins.spec("htmlize-ref-plugin", RefPlugin.class, Map.of())));
    plugins.add(TestPlugins.abbr(Map.of("RPC", "Remote Procedure Call")));
    plugins.add(TestPlugins.pygments(Map.of()));

    assertEveryPageIsValid(render(plugins, new Layout.Default()));
  }

  @Test
  void theDemoSiteThroughTheGoPluginIsValid() throws Exception {
    Path goTt = GoTools.goTtPlugin();
    PluginSpec go = new PluginSpec("htmlize-go-tt-plugin", List.of(goTt.toString()), Map.of("element", "code"),
        Map.of(), null, "go");

    assertEveryPageIsValid(render(List.of(go, TestPlugins.abbr(Map.of("RPC", "Remote Procedure Call")), TestPlugins.narcissist(),
        TestPlugins.spec("htmlize-issue-plugin", IssuePlugin.class, Map.of("baseUrl", "https://t.example/i/")),
        TestPlugins.spec("htmlize-toc-plugin", TocPlugin.class, Map.of()),
        TestPlugins.spec("htmlize-ref-plugin", RefPlugin.class, Map.of())), new Layout.Default()));
  }

  @Test
  void theCheckerFindsAListNestedStraightInAList() throws Exception {
    Path page = Files.writeString(temp.resolve("nested.html"), "<!DOCTYPE html>\n<html lang=\"en\"><head>"
        + "<meta charset=\"utf-8\"><title>t</title></head><body><ul><li>a</li><ul><li>b</li></ul></ul></body></html>\n");

    assertThat(HtmlChecker.errors(List.of(page))).singleElement().asString()
        .contains("Element “ul” not allowed as child of element “ul”");
  }

  private Path render(List<PluginSpec> plugins, Layout layout) throws Exception {
    Path out = temp.resolve("out-" + plugins.size() + "-" + layout.getClass().getSimpleName());
    RenderRequest.Builder request = RenderRequest.builder(DEMO.resolve("src/main/htmlize"), out,
            temp.resolve("work-" + out.getFileName())).layout(layout).defaultAuthor("Joe")
        .layoutDirectory(DEMO.resolve("src/main/layouts")).siteTitle("htmlize demo site")
        .siteUrl("https://demo.example.org/").failOnBrokenLinks(true);
    plugins.forEach(request::plugin);
    RenderSummary summary = new Engine(new RecordingLog()).render(request.build());
    assertThat(summary.rendered()).isEqualTo(DEMO_PAGES);
    assertThat(summary.drafts()).isEqualTo(1);
    return out;
  }

  private static void assertEveryPageIsValid(Path out) throws Exception {
    List<Path> pages;
    try (Stream<Path> files = Files.walk(out)) {
      pages = files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
    }
    assertThat(pages).hasSize(DEMO_PAGES);
    assertThat(HtmlChecker.errors(pages)).as("the Nu HTML Checker on %s", out).isEmpty();
  }
}
