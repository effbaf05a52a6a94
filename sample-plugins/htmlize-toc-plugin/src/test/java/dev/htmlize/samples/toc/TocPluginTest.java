package dev.htmlize.samples.toc;

import static dev.htmlize.plugin.testkit.PluginUnderTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.plugin.testkit.HtmlizePluginExtension;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TocPluginTest {
  @RegisterExtension
  static final HtmlizePluginExtension plugin = HtmlizePluginExtension.mainClass(TocPlugin.class);

  private static final String PAGE = """
      <h1 id="guide">Guide</h1>
      <!-- toc -->
      <h2 id="install">Install</h2>
      <h3 id="on-linux">On <em>Linux</em></h3>
      <h2 id="use">Use</h2>
      <h4 id="deep">Deep</h4>
      """;

  @Test
  void replacesTheMarkerWithNestedLinksToHeadingsOfLevelsTwoAndThree() {
    assertThat(plugin.get().processContents(PAGE, post("guide.md"))).isEqualTo("""
        <h1 id="guide">Guide</h1>
        <nav class="toc">
        <ul>
        <li><a href="#install">Install</a>
        <ul>
        <li><a href="#on-linux">On Linux</a></li>
        </ul>
        </li>
        <li><a href="#use">Use</a></li>
        </ul>
        </nav>
        <h2 id="install">Install</h2>
        <h3 id="on-linux">On <em>Linux</em></h3>
        <h2 id="use">Use</h2>
        <h4 id="deep">Deep</h4>
        """);
  }

  @Test
  void aSkippedLevelAndAShallowerHeadingNestInsideItems() {
    plugin.get().configure(Map.of("levels", "1-4"));
    String page = "<!-- toc -->\n<h2 id=\"a\">A</h2>\n<h4 id=\"b\">B</h4>\n<h1 id=\"c\">C</h1>\n";

    String html = plugin.get().processContents(page, post("a.md"));

    plugin.get().configure(Map.of());
    assertThat(html).startsWith("""
        <nav class="toc">
        <ul>
        <li><a href="#a">A</a>
        <ul>
        <li>
        <ul>
        <li><a href="#b">B</a></li>
        </ul>
        </li>
        </ul>
        </li>
        <li><a href="#c">C</a></li>
        </ul>
        </nav>""");
  }

  @Test
  void leavesAPageWithoutTheMarkerAsItIs() {
    String page = "<h2 id=\"a\">A</h2>\n";

    assertThat(plugin.get().processContents(page, post("a.md"))).isEqualTo(page);
  }

  @Test
  void refusesBadLevels() {
    assertThatThrownBy(() -> plugin.get().configure(Map.of("levels", "3-1")))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("levels must be FROM-TO");
  }
}
