package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.samples.ref.RefPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's {@code htmlize.v1.Site} service, offered to plugins through the broker, with the real ref plugin: every
 * page's metadata is known before any page renders, and pages that show other pages' metadata follow its changes.
 */
class SiteTest {
  @TempDir
  Path temp;

  private Path src;
  private Path out;
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void sources() throws Exception {
    src = Files.createDirectories(temp.resolve("src"));
    out = temp.resolve("out");
  }

  private RenderSummary render() throws RenderException {
    return new Engine(log).render(RenderRequest.builder(src, out, temp.resolve("work")).layout(new Layout.None())
        .threads(4).plugin(TestPlugins.spec("htmlize-ref-plugin", RefPlugin.class, Map.of())).build());
  }

  private void write(String path, String content) throws Exception {
    Path file = src.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private String read(String path) throws Exception {
    return Files.readString(out.resolve(path), StandardCharsets.UTF_8);
  }

  @Test
  void refLinksSeeEveryPageTitleFromFrontMatterOrHeading() throws Exception {
    write("index.md", "See :ref:`docs/guide.md` and :ref:`the API <api/reference.md#types>`.\n");
    write("docs/guide.md", "---\ntitle: User guide\n---\nBack to :ref:`/index.md`.\n");
    write("api/reference.md", "# API reference\n\nText.\n");

    render();

    assertThat(read("index.html")).isEqualTo("<p>See <a class=\"ref\" href=\"docs/guide.html\">User guide</a> and "
        + "<a class=\"ref\" href=\"api/reference.html#types\">the API</a>.</p>\n");
    assertThat(read("docs/guide.html"))
        .isEqualTo("<p>Back to <a class=\"ref\" href=\"../index.html\">index</a>.</p>\n");
  }

  @Test
  void anUnknownTargetFailsNamingThePageAndTheLineOfThatRole() throws Exception {
    write("a.md", "---\ntitle: A\n---\nFine :ref:`b.md`.\n\nBroken :ref:`nowhere.md` here.\n");
    write("b.md", "b\n");

    assertThatThrownBy(this::render)
        .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems())
            .singleElement()
            .satisfies(p -> {
              assertThat(p.where()).isEqualTo("a.md");
              assertThat(p.line()).isEqualTo(6);
              assertThat(p.message()).contains("htmlize-ref-plugin").contains("unknown page \"nowhere.md\"");
            }));
    assertThat(out.resolve("a.html")).doesNotExist();
    assertThat(read("b.html")).isEqualTo("<p>b</p>\n");
  }

  @Test
  void aChangedTitleRerendersThePagesThatShowItAndANoOpBuildStartsNoPlugin() throws Exception {
    write("index.md", ":ref:`guide.md`\n");
    write("guide.md", "# Guide\n");
    render();
    assertThat(read("index.html")).contains(">Guide</a>");

    RenderSummary noOp = render();
    assertThat(noOp.rendered()).isZero();
    assertThat(noOp.plugins()).isZero();

    RenderSummary bodyOnly = render();
    write("guide.md", "# Guide\n\nMore text.\n");
    bodyOnly = render();
    assertThat(bodyOnly.rendered()).as("a body change leaves the site as it was").isEqualTo(1);
    assertThat(bodyOnly.upToDate()).isEqualTo(1);

    write("guide.md", "# The new guide\n\nMore text.\n");
    RenderSummary retitled = render();
    assertThat(retitled.rendered()).isEqualTo(2);
    assertThat(read("index.html")).contains(">The new guide</a>");

    Files.delete(src.resolve("guide.md"));
    assertThatThrownBy(this::render).isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems())
        .anySatisfy(p -> assertThat(p.where() + ":" + p.line()).isEqualTo("index.md:1")));
  }
}
