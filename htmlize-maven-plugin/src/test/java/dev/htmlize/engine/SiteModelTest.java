package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.plugin.Post;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The site model: every page's Post, from the last build's record for an unchanged page and from its source for a
 * changed one; its digest follows what plugins see (titles, metadata, pages coming and going), not bodies.
 */
class SiteModelTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private SiteModel read() throws Exception {
    EngineFixture.Planned planned = site.plan(site.request());
    SiteModel model = SiteModel.read(planned.plan(), planned.reader(), 2, false, planned.problems());
    assertThat(planned.problems().sorted()).isEmpty();
    return model;
  }

  @Test
  void everyPageIsInTheSiteWhetherItChangedOrNot() throws Exception {
    site.write("a.md", "---\ntitle: Alpha\ntags: [x]\n---\nA.\n");
    site.write("b.md", "# Beta\n\nB.\n");
    site.render();
    site.write("b.md", "# Beta\n\nB, with more.\n");

    SiteModel model = read();

    assertThat(model.posts()).extracting(Post::sourcePath, Post::title, Post::outputPath).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a.md", "Alpha", "a.html"),
        org.assertj.core.groups.Tuple.tuple("b.md", "Beta", "b.html"));
    assertThat(model.post("a.md").orElseThrow().tags()).containsExactly("x");
    assertThat(model.take("b.md")).as("the changed page, parsed to read the site, is kept for rendering")
        .hasValueSatisfying(page -> assertThat(page.document().render(java.util.List.of()))
            .contains("B, with more."));
    assertThat(model.take("b.md")).as("once").isEmpty();
    assertThat(model.take("a.md")).as("the unchanged page was not parsed").isEmpty();
  }

  @Test
  void theDigestChangesWithWhatPluginsSeeAndNotWithABody() throws Exception {
    site.write("a.md", "# Alpha\n\nA.\n");
    site.write("b.md", "B.\n");
    site.render();
    String before = read().digest();

    site.write("a.md", "# Alpha\n\nA, with another body.\n");
    assertThat(read().digest()).isEqualTo(before);

    site.write("a.md", "# Alpha, renamed\n\nA.\n");
    assertThat(read().digest()).isNotEqualTo(before);

    site.write("a.md", "# Alpha\n\nA.\n");
    site.write("c.md", "C.\n");
    assertThat(read().digest()).isNotEqualTo(before);
  }

  @Test
  void aPageIsUpdatedAndRemovedOneByOne() throws Exception {
    site.write("a.md", "A.\n");
    SiteModel model = read();
    Post a = model.post("a.md").orElseThrow();
    String before = model.digest();

    model.update(new Post(a.id(), a.author(), "A new title", a.sourcePath(), a.outputPath(), a.date(), a.tags(),
        a.metadata()));
    assertThat(model.post("a.md").orElseThrow().title()).isEqualTo("A new title");
    assertThat(model.digest()).isNotEqualTo(before);

    model.remove("a.md");
    assertThat(model.posts()).isEmpty();
  }
}
