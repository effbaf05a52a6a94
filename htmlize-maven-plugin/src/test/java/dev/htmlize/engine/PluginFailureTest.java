package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.engine.testplugins.InvalidUtf8Plugin;
import dev.htmlize.engine.testplugins.ShoutPlugin;
import dev.htmlize.samples.toc.TocPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rows of the failure matrix, with real plugin processes. */
class PluginFailureTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  @Test
  void aPluginThatAnswersWithInvalidUtf8FailsTheBuildNamingThePluginAndThePage() throws Exception {
    site.write("good.md", "no roles here\n");
    site.write("docs/page.md", "first\n\nthen :latin1:`caf` here\n");
    PluginSpec latin1 = TestPlugins.spec("latin1", InvalidUtf8Plugin.class, Map.of());

    assertThatThrownBy(() -> new Engine(site.log).render(site.request().plugin(latin1).build()))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("docs/page.md:3: plugin latin1 (pid ")
        .hasMessageEndingWith(": CANCELLED: Failed to read message.: Invalid protobuf byte sequence: Protocol message "
            + "had invalid UTF-8.");
    assertThat(site.out.resolve("docs/page.html")).doesNotExist();
    assertThat(site.out.resolve("good.html")).exists();
  }

  /**
   * 1,200 pages on 16 threads, each page with roles of two plugins and a contents plugin: 3,600 plugin calls, up to
   * 48 at once. Every page's roles carry its own number, and every page is compared with the HTML expected for it, so
   * an answer that went to the wrong page, or a role answered site.out of order, fails the test.
   */
  @Test
  void thousandsOfConcurrentCallsGiveEveryPageItsOwnHtml() throws Exception {
    int pages = 1200;
    for (int i = 0; i < pages; i++) {
      site.write("p" + (i % 10) + "/page" + i + ".md", "# Page " + i + "\n\n<!-- toc -->\n\n## Part " + i + "\n\n"
          + ":tt:`a" + i + "` :batch:`x` :issue:`" + i + "` :tt:`b<" + i + ">`\n\n"
          + ":issue:`" + (i + 1) + "` and :tt:`c" + i + "`\n");
    }
    PluginSpec shout = TestPlugins.spec("shout", ShoutPlugin.class, Map.of());
    PluginSpec issue = TestPlugins.spec("issue", dev.htmlize.samples.issue.IssuePlugin.class,
        Map.of("baseUrl", "https://t.example/i/"));
    PluginSpec toc = TestPlugins.spec("toc", TocPlugin.class, Map.of());

    RenderSummary summary = new Engine(site.log).render(site.request().plugin(shout).plugin(issue).plugin(toc).threads(16)
        .build());

    assertThat(summary.rendered()).isEqualTo(pages);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      String expected = "<h1 id=\"page-" + i + "\">Page " + i + "</h1>\n"
          + "<nav class=\"toc\">\n<ul>\n<li><a href=\"#part-" + i + "\">Part " + i + "</a></li>\n</ul>\n</nav>\n"
          + "<h2 id=\"part-" + i + "\">Part " + i + "</h2>\n"
          + "<p><b>A" + i + "</b> <i>batch of 4</i> " + issueLink(i) + " <b>B&lt;" + i + "&gt;</b></p>\n"
          + "<p>" + issueLink(i + 1) + " and <b>C" + i + "</b></p>\n";
      String actual = Files.readString(site.out.resolve("p" + (i % 10) + "/page" + i + ".html"));
      if (!actual.equals(expected)) {
        wrong.add("page" + i + ":\n" + actual);
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static String issueLink(int number) {
    return String.format(Locale.ROOT, "<a class=\"issue\" href=\"https://t.example/i/%d\">#%d</a>", number, number);
  }

  @Test
  void anAnswerTooLargeForTheBuildsMemoryNamesThePluginAndWhatToGiveMore() throws Exception {
    site.write("a.md", "Big :huge:`100`.\n");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), EngineMain.class.getName(), site.src.toString(), site.out.toString(),
        site.work.toString(), "shout-with-a-large-heap");
    Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(build.waitFor()).as(output).isEqualTo(1);
    assertThat(output.lines().filter(line -> line.startsWith("[error] ")).toList()).as(output).singleElement()
        .asString().startsWith("[error] a.md:1: plugin shout (pid ")
        .contains("does not fit in the build's memory")
        .contains("give Maven more heap (MAVEN_OPTS=-Xmx2g, say)");
    assertThat(site.out.resolve("a.html")).doesNotExist();
  }
}
