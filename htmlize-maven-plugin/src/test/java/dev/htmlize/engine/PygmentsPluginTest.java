package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python sample plugin that highlights fenced code with Pygments, started as an executable plugin: the blocks in
 * languages Pygments knows get its spans and nothing else, the others are left as commonmark-java wrote them.
 */
class PygmentsPluginTest {
  private static final String JAVA = "public class Hello {\n  String greet(String name) {\n"
      + "    return \"a < b && \" + name;\n  }\n}\n";
  private static final String PYTHON = "def greet(name):\n    # a comment\n    return 'hello, ' + name\n";
  private static final String XML = "<note lang=\"en\">a &amp; b</note>\n\n";
  private static final String UNKNOWN = "some <code> & \"quotes\"\n";
  private static final String NONE = "no language <here> & 'there'\n";
  private static final String PAGE = "# Code\n\n```java\n" + JAVA + "```\n\n```python\n" + PYTHON + "```\n\n"
      + "```xml\n" + XML + "```\n\n```nosuchlang\n" + UNKNOWN + "```\n\n```\n" + NONE + "```\n";

  @TempDir
  Path temp;

  @Test
  void highlightsTheBlocksInLanguagesPygmentsKnowsAndLeavesTheOthersAsTheyWere() throws Exception {
    String html = render(Map.of());
    Element body = Jsoup.parseBodyFragment(html).body();

    Element java = highlighted(body, "java", JAVA);
    assertThat(java.select("span.k").eachText()).contains("return");
    assertThat(java.select("span[class^=k]").eachText()).contains("public", "class");
    assertThat(java.select("span[class^=s]").eachText()).contains("\"a < b && \"");

    Element python = highlighted(body, "python", PYTHON);
    assertThat(python.select("span.k").eachText()).contains("def", "return");
    assertThat(python.select("span[class^=s]").eachText()).contains("'hello, '");
    assertThat(python.select("span[class^=c]").eachText()).contains("# a comment");

    Element xml = highlighted(body, "xml", XML);
    assertThat(xml.select("span.nt").eachText()).contains("<note", "</note>");
    assertThat(xml.select("span.na").eachText()).contains("lang=");

    assertThat(html).as("commonmark's block, byte for byte")
        .contains("<pre><code class=\"language-nosuchlang\">some &lt;code&gt; &amp; &quot;quotes&quot;\n"
            + "</code></pre>")
        .contains("<pre><code>no language &lt;here&gt; &amp; 'there'\n</code></pre>");
    Element unknown = body.selectFirst("code.language-nosuchlang");
    assertThat(unknown.wholeText()).isEqualTo(UNKNOWN);
    assertThat(unknown.children()).isEmpty();
    assertThat(unknown.parent().classNames()).isEmpty();
    Elements blocks = body.select("pre > code");
    assertThat(blocks).hasSize(5);
    Element none = blocks.last();
    assertThat(none.wholeText()).isEqualTo(NONE);
    assertThat(none.children()).isEmpty();
    assertThat(none.classNames()).isEmpty();
    assertThat(none.parent().classNames()).isEmpty();
  }

  @Test
  void highlightsOnlyTheLanguagesItIsGiven() throws Exception {
    Element body = Jsoup.parseBodyFragment(render(Map.of("languages", " Python, xml "))).body();

    highlighted(body, "python", PYTHON);
    highlighted(body, "xml", XML);
    Element java = body.selectFirst("code.language-java");
    assertThat(java.wholeText()).isEqualTo(JAVA);
    assertThat(java.children()).isEmpty();
    assertThat(java.parent().classNames()).isEmpty();
  }

  @Test
  void aLanguagePygmentsDoesNotKnowFailsTheConfiguration() throws Exception {
    PluginSpec pygments = TestPlugins.pygments(Map.of("languages", "java,jvaa"));
    Files.writeString(Files.createDirectories(temp.resolve("src")).resolve("p.md"), PAGE);

    RenderException failure = Assertions.assertThrows(RenderException.class, () -> new Engine(new RecordingLog())
        .render(RenderRequest.builder(temp.resolve("src"), temp.resolve("out"), temp.resolve("w"))
            .plugin(pygments).layout(new Layout.None()).build()));

    assertThat(failure.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.where()).isEqualTo("plugin pygments");
      assertThat(problem.message()).endsWith("ValueError: languages: Pygments knows no language jvaa");
    });
  }

  private String render(Map<String, String> properties) throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("p.md"), PAGE);
    new Engine(new RecordingLog()).render(RenderRequest.builder(src, temp.resolve("out"), temp.resolve("w"))
        .plugin(TestPlugins.pygments(properties)).layout(new Layout.None()).build());
    return Files.readString(temp.resolve("out/p.html"), StandardCharsets.UTF_8);
  }

  /** The block in this language, highlighted: in Pygments' spans, with the code's text as it was. */
  private static Element highlighted(Element body, String language, String code) {
    Element block = body.selectFirst("pre.highlight > code.language-" + language);
    assertThat(block).as("the highlighted %s block", language).isNotNull();
    assertThat(block.select("span")).isNotEmpty();
    assertThat(block.wholeText()).isEqualTo(code);
    return block;
  }
}
