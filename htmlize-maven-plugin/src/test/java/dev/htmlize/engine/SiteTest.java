package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.samples.ref.RefPlugin;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The host's {@code htmlize.v1.Site} service, offered to plugins through the broker, with the real ref plugin: every
 * page's metadata is known before any page renders, and pages that show other pages' metadata follow its changes.
 */
class SiteTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private RenderSummary render() throws RenderException {
    return new Engine(site.log).render(site.request()
        .threads(4).plugin(TestPlugins.spec("htmlize-ref-plugin", RefPlugin.class, Map.of())).build());
  }

  @Test
  void refLinksSeeEveryPageTitleFromFrontMatterOrHeading() throws Exception {
    site.write("index.md", "See :ref:`docs/guide.md` and :ref:`the API <api/reference.md#types>`.\n");
    site.write("docs/guide.md", "---\ntitle: User guide\n---\nBack to :ref:`/index.md`.\n");
    site.write("api/reference.md", "# API reference\n\nText.\n");

    render();

    assertThat(site.page("index.html")).isEqualTo("<p>See <a class=\"ref\" href=\"docs/guide.html\">User guide</a> and "
        + "<a class=\"ref\" href=\"api/reference.html#types\">the API</a>.</p>\n");
    assertThat(site.page("docs/guide.html"))
        .isEqualTo("<p>Back to <a class=\"ref\" href=\"../index.html\">index</a>.</p>\n");
  }

  @Test
  void anUnknownTargetFailsNamingThePageAndTheLineOfThatRole() throws Exception {
    site.write("a.md", "---\ntitle: A\n---\nFine :ref:`b.md`.\n\nBroken :ref:`nowhere.md` here.\n");
    site.write("b.md", "b\n");

    assertThatThrownBy(this::render)
        .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems())
            .singleElement()
            .satisfies(p -> {
              assertThat(p.where()).isEqualTo("a.md");
              assertThat(p.line()).isEqualTo(6);
              assertThat(p.message()).contains("htmlize-ref-plugin").contains("unknown page \"nowhere.md\"");
            }));
    assertThat(site.out.resolve("a.html")).doesNotExist();
    assertThat(site.page("b.html")).isEqualTo("<p>b</p>\n");
  }

  @Test
  void aChangedTitleRerendersThePagesThatShowItAndANoOpBuildStartsNoPlugin() throws Exception {
    site.write("index.md", ":ref:`guide.md`\n");
    site.write("guide.md", "# Guide\n");
    render();
    assertThat(site.page("index.html")).contains(">Guide</a>");

    RenderSummary noOp = render();
    assertThat(noOp.rendered()).isZero();
    assertThat(noOp.plugins()).isZero();

    RenderSummary bodyOnly = render();
    site.write("guide.md", "# Guide\n\nMore text.\n");
    bodyOnly = render();
    assertThat(bodyOnly.rendered()).as("a body change leaves the site as it was").isEqualTo(1);
    assertThat(bodyOnly.upToDate()).isEqualTo(1);

    site.write("guide.md", "# The new guide\n\nMore text.\n");
    RenderSummary retitled = render();
    assertThat(retitled.rendered()).isEqualTo(2);
    assertThat(site.page("index.html")).contains(">The new guide</a>");

    Files.delete(site.src.resolve("guide.md"));
    assertThatThrownBy(this::render).isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems())
        .anySatisfy(p -> assertThat(p.where() + ":" + p.line()).isEqualTo("index.md:1")));
  }
}
