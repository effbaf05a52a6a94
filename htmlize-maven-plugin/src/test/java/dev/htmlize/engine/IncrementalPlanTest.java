package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.engine.IncrementalPlan.Reason;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The incremental plan: which pages are stale after a build, and why, and which pages are orphans. */
class IncrementalPlanTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private IncrementalPlan plan(RenderRequest.Builder request) throws RenderException {
    EngineFixture.Planned planned = site.plan(request);
    assertThat(planned.problems().sorted()).isEmpty();
    return planned.plan();
  }

  private static Map<String, Reason> reasons(List<IncrementalPlan.Page> pages) {
    Map<String, Reason> reasons = new LinkedHashMap<>();
    pages.forEach(page -> reasons.put(page.source(), page.reason()));
    return reasons;
  }

  @Test
  void everyPageOfAFirstBuildIsNew() throws Exception {
    site.write("a.md", "A.\n");
    site.write("b/c.txt", "C.\n");

    assertThat(reasons(plan(site.request()).pages())).containsExactly(Map.entry("a.md", Reason.NEW),
        Map.entry("b/c.txt", Reason.NEW));
  }

  @Test
  void afterABuildEachPageIsStaleForItsOwnReason() throws Exception {
    for (String name : List.of("same", "touched", "changed", "edited-output", "removed-output", "deleted")) {
      site.write(name + ".md", name + ".\n");
    }
    site.render();
    Files.setLastModifiedTime(site.src.resolve("touched.md"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    site.write("changed.md", "Changed.\n");
    Files.writeString(site.out.resolve("edited-output.html"), "edited by hand");
    Files.delete(site.out.resolve("removed-output.html"));
    Files.delete(site.src.resolve("deleted.md"));
    site.write("added.md", "Added.\n");

    IncrementalPlan plan = plan(site.request());

    assertThat(reasons(plan.pages())).containsExactly(Map.entry("added.md", Reason.NEW),
        Map.entry("changed.md", Reason.SOURCE_CHANGED), Map.entry("edited-output.md", Reason.OUTPUT_CHANGED),
        Map.entry("removed-output.md", Reason.OUTPUT_CHANGED), Map.entry("same.md", Reason.UP_TO_DATE),
        Map.entry("touched.md", Reason.UP_TO_DATE));
    assertThat(plan.orphans()).containsOnlyKeys("deleted.md");
    assertThat(reasons(plan.rendering(true))).containsEntry("same.md", Reason.SITE_CHANGED)
        .containsEntry("touched.md", Reason.SITE_CHANGED).hasSize(6);
    assertThat(reasons(plan.rendering(false))).doesNotContainKeys("same.md", "touched.md").hasSize(4);
    assertThat(IncrementalPlan.reasons(plan.rendering(false)))
        .isEqualTo("1 new, 1 source changed, 2 output changed");
  }

  @Test
  void aChangedConfigurationMakesEveryPageStale() throws Exception {
    site.write("a.md", "A.\n");
    site.render();

    IncrementalPlan plan = plan(site.request().defaultAuthor("Someone else"));

    assertThat(reasons(plan.pages())).containsExactly(Map.entry("a.md", Reason.CONFIGURATION_CHANGED));
  }

  @Test
  void aStalePageKeepsItsBytesForRenderingAndAnUpToDateOneIsNotRead() throws Exception {
    site.write("a.md", "A.\n");
    site.write("b.md", "B.\n");
    site.render();
    site.write("b.md", "B, again.\n");

    Map<String, IncrementalPlan.Page> pages = new LinkedHashMap<>();
    plan(site.request()).pages().forEach(page -> pages.put(page.source(), page));

    assertThat(pages.get("a.md").bytes()).isNull();
    assertThat(pages.get("a.md").previous()).isNotNull();
    assertThat(pages.get("b.md").bytes()).asString().isEqualTo("B, again.\n");
  }
}
