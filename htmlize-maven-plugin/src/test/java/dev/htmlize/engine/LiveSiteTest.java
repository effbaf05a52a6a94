package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.engine.testplugins.ShoutPlugin;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A site rendered again and again with its plugins kept running: what a change renders, and crashed plugins. */
class LiveSiteTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private LiveSite live() {
    return new LiveSite(site.request().plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of())).build(),
        site.log);
  }

  @Test
  void pluginsStayRunningAndOnlyWhatChangedRendersAgain() throws Exception {
    site.write("a.md", "A :tt:`a`\n");
    site.write("b.md", "B :tt:`b`\n");
    try (LiveSite live = live()) {
      LiveSite.Update first = live.render();
      assertThat(first.ok()).isTrue();
      assertThat(first.changed()).containsExactlyInAnyOrder("a.html", "b.html");
      assertThat(first.summary().plugins()).isEqualTo(1);

      LiveSite.Update nothing = live.render();
      assertThat(nothing.changed()).isEmpty();
      assertThat(nothing.summary().rendered()).isZero();

      site.write("b.md", "B :tt:`again`\n");
      LiveSite.Update edit = live.render();
      assertThat(edit.changed()).containsExactly("b.html");
      assertThat(edit.summary().rendered()).isEqualTo(1);
      assertThat(site.page("b.html")).contains("<b>AGAIN</b>");
      assertThat(site.log.debug).filteredOn(line -> line.contains("[shout] ") && line.contains("configured"))
          .hasSizeLessThanOrEqualTo(3);
    }
  }

  @Test
  void aCrashedPluginIsNamedAndStartedAgainAtMostThreeTimesAMinuteThenGivenUp() throws Exception {
    site.write("a.md", "A :tt:`a`\n");
    site.write("b.md", "B :crash:`7`\n");
    try (LiveSite live = live()) {
      LiveSite.Update crashed = live.render();
      assertThat(crashed.problems().get("b.html")).singleElement().asString()
          .startsWith("b.md:1: plugin shout (pid ").contains("exited with status 7");
      assertThat(site.log.error).contains("htmlize: plugin shout crashed; it starts again at the next change");

      // Fixed: the plugin starts again, and the page renders.
      site.write("b.md", "B :tt:`fixed`\n");
      LiveSite.Update fixed = live.render();
      assertThat(fixed.ok()).isTrue();
      assertThat(fixed.changed()).contains("b.html");
      assertThat(site.page("b.html")).contains("<b>FIXED</b>");

      // Three more crashes within the minute: the third is one too many.
      for (int i = 0; i < 3; i++) {
        site.write("b.md", "B :crash:`" + (10 + i) + "`\n");
        assertThat(live.render().ok()).isFalse();
      }
      assertThat(site.log.error).contains("htmlize: plugin shout crashed 4 times within a minute; it is given up "
          + "until htmlize:serve is started again, and the site renders without it");
      assertThat(live.givenUp()).containsExactly("shout");

      LiveSite.Update without = live.render();
      assertThat(without.ok()).as("the site renders without the plugin").isTrue();
      assertThat(site.log.warn).anyMatch(line -> line.startsWith("b.md:1: unknown role :crash:"));
    }
  }
}
