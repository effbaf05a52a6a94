package dev.htmlize.samples.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.proto.ProcessRolesResult;
import dev.htmlize.plugin.testkit.PluginUnderTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ref plugin as a real process, with the site offered through the broker as the Maven plugin offers it. */
class RefPluginTest {
  private static Post page(long id, String source, String title) {
    return new Post(id, "", title, source, source.replaceFirst("\\.md$", ".html"), "", List.of(), Map.of());
  }

  private static final Post INDEX = page(1, "index.md", "Home");
  private static final Post GUIDE = page(2, "docs/guide.md", "The <Guide> & more");
  private static final Post INSTALL = page(3, "docs/install/linux.md", "Linux");
  private static final List<Post> SITE = List.of(INDEX, GUIDE, INSTALL);

  @Test
  void linksToPagesWithTheirTitlesRelativeToTheReferringPage() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(RefPlugin.class)) {
      plugin.configure(Map.of(), SITE);

      List<String> html = plugin.processRoles(INSTALL, List.of(
          new RoleOccurrence("ref", "docs/guide.md", 3),
          new RoleOccurrence("ref", "the home page </index.md>", 4),
          new RoleOccurrence("ref", "../guide.md#setup", 5),
          new RoleOccurrence("ref", "linux.md", 6)));

      assertThat(html).containsExactly(
          "<a class=\"ref\" href=\"../guide.html\">The &lt;Guide&gt; &amp; more</a>",
          "<a class=\"ref\" href=\"../../index.html\">the home page</a>",
          "<a class=\"ref\" href=\"../guide.html#setup\">The &lt;Guide&gt; &amp; more</a>",
          "<a class=\"ref\" href=\"linux.html\">Linux</a>");
      assertThat(plugin.processRole("ref", "docs/install/linux.md", INDEX))
          .isEqualTo("<a class=\"ref\" href=\"docs/install/linux.html\">Linux</a>");
    }
  }

  @Test
  void anUnknownPageIsAnErrorThatNamesTheOccurrence() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(RefPlugin.class)) {
      plugin.configure(Map.of(), SITE);

      assertThatThrownBy(() -> plugin.processRoles(INDEX, List.of(
          new RoleOccurrence("ref", "docs/guide.md", 2),
          new RoleOccurrence("ref", "docs/missing.md", 7))))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("unknown page \"docs/missing.md\"");
            assertThat(e.getTrailers().get(dev.htmlize.plugin.HtmlizerService.ROLE_INDEX)).isEqualTo("1");
          });
    }
  }

  @Test
  void inABatchEachPageAnswersOnItsOwn() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(RefPlugin.class)) {
      plugin.configure(Map.of(), SITE);
      Map<Post, List<RoleOccurrence>> pages = new java.util.LinkedHashMap<>();
      pages.put(INDEX, List.of(new RoleOccurrence("ref", "docs/guide.md", 2),
          new RoleOccurrence("ref", "docs/missing.md", 7)));
      pages.put(GUIDE, List.of(new RoleOccurrence("ref", "/index.md", 4)));

      List<ProcessRolesResult> results = plugin.processRolesBatch(pages);

      assertThat(results).hasSize(2);
      assertThat(results.get(0).hasError()).isTrue();
      assertThat(results.get(0).getError().getMessage()).contains("unknown page \"docs/missing.md\"");
      assertThat(results.get(0).getError().hasRoleIndex()).isTrue();
      assertThat(results.get(0).getError().getRoleIndex()).isEqualTo(1);
      assertThat(results.get(1).getResponse().getHtmlList())
          .containsExactly("<a class=\"ref\" href=\"../index.html\">Home</a>");
    }
  }

  @Test
  void withoutASiteItSaysTheHostOffersNone() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(RefPlugin.class)) {
      plugin.configure(Map.of());

      assertThatThrownBy(() -> plugin.processRole("ref", "index.md", INDEX))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("offers no htmlize.v1.Site service");
    }
  }

  @Test
  void relativeLinks() {
    assertThat(RefPlugin.relative("a.html", "b.html")).isEqualTo("b.html");
    assertThat(RefPlugin.relative("a/b/c.html", "a/d.html")).isEqualTo("../d.html");
    assertThat(RefPlugin.relative("a.html", "x/y/z.html")).isEqualTo("x/y/z.html");
    assertThat(RefPlugin.relative("x/y.html", "x/y.html")).isEqualTo("y.html");
    assertThat(RefPlugin.normalize("a/./b/../c.md")).isEqualTo("a/c.md");
    assertThat(RefPlugin.normalize("../outside.md")).startsWith("../");
  }
}
