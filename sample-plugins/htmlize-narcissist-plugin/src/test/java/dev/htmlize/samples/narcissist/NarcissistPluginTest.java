package dev.htmlize.samples.narcissist;

import static dev.htmlize.plugin.testkit.PluginUnderTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.plugin.testkit.HtmlizePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NarcissistPluginTest {
  @RegisterExtension
  static final HtmlizePluginExtension plugin = HtmlizePluginExtension.mainClass(NarcissistPlugin.class);

  @Test
  void asksForContents() {
    assertThat(plugin.get().hooks()).containsExactly("contents");
  }

  @Test
  void marksStandaloneIWithTheAuthor() {
    assertThat(plugin.get().processContents("<p>second I paragraph followIed Iby, I.</p>", post("a.txt", "Joe")))
        .isEqualTo("<p>second <b>I (Joe)</b> paragraph followIed Iby, <b>I (Joe)</b>.</p>");
  }

  @Test
  void escapesTheAuthor() {
    assertThat(plugin.get().processContents("I", post("a.txt", "<Ann & Bo>")))
        .isEqualTo("<b>I (&lt;Ann &amp; Bo&gt;)</b>");
  }

  @Test
  void transformsSeveralPagesInOneBatchCall() {
    java.util.Map<dev.htmlize.plugin.Post, String> pages = new java.util.LinkedHashMap<>();
    pages.put(post("a.md", "Ann"), "<p>I am</p>");
    pages.put(post("b.md", "Bo"), "<p>so am I</p>");

    assertThat(plugin.get().processContentsBatch(pages)).extracting(r -> r.getResponse().getHtml())
        .containsExactly("<p><b>I (Ann)</b> am</p>", "<p>so am <b>I (Bo)</b></p>");
  }
}
