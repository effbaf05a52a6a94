package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.plugin.Post;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
  @TempDir
  Path temp;

  private static BuildState sample() {
    BuildState state = new BuildState();
    state.fingerprint("f1");
    state.siteDigest("s1");
    state.pages().put("docs/a.md", new BuildState.Page("d1", "docs/a.html", "o1",
        new Post(7, "Ann \"A\" <a@x>", "Ünïcode & <b>", "docs/a.md", "docs/a.html", "2024-01-02",
            List.of("x", "y"), Map.of("weight", "3", "empty", "")), 10, 11, 12, 13));
    state.pages().put("b.txt", new BuildState.Page("d2", "b.html", "o2",
        new Post(8, "", "b", "b.txt", "b.html", "", List.of(), Map.of())));
    return state;
  }

  @Test
  void whatIsSavedLoadsTheSame() throws Exception {
    Path file = temp.resolve("state.json");
    sample().save(file);

    BuildState loaded = BuildState.load(file);

    assertThat(loaded.sameAs(sample())).isTrue();
    assertThat(loaded.pages().get("docs/a.md")).isEqualTo(sample().pages().get("docs/a.md"));
    assertThat(loaded.fingerprint()).isEqualTo("f1");
  }

  @Test
  void fieldsInAnyOrderAndFieldsItDoesNotKnowAreRead() throws Exception {
    Path file = temp.resolve("state.json");
    Files.writeString(file, """
        {"pages": {"p.md": {"later": [1, {"a": null}], "outputDigest": "o", "outputPath": "p.html",
          "sourceDigest": "d"}}, "extra": true, "fingerprint": "f", "version": 4}
        """, StandardCharsets.UTF_8);

    BuildState loaded = BuildState.load(file);

    assertThat(loaded.fingerprint()).isEqualTo("f");
    assertThat(loaded.pages().get("p.md")).isEqualTo(new BuildState.Page("d", "p.html", "o", null));
  }

  @Test
  void aStateThisBuildDidNotWriteMeansRenderingEverything() throws Exception {
    Path file = temp.resolve("state.json");
    for (String text : List.of(
        "{\"version\": 2, \"fingerprint\": \"f\", \"pages\": {}}",
        "{\"version\": 3, \"pages\": {}}",
        "{\"version\": 3, \"fingerprint\": \"f\", \"pages\": null}",
        "{\"version\": 3, \"fingerprint\": \"f\", \"pages\": {\"p.md\": {\"sourceDigest\": \"d\"}}}",
        "{\"version\": 3, \"fingerprint\": \"f\", \"pages\": {\"p.md\": {\"sourceDigest\": \"d\", \"outputPath\": "
            + "\"p.html\", \"outputDigest\": \"o\", \"post\": {\"title\": \"t\"}}}}",
        "{\"version\": 3, \"fingerprint\": 5, \"pages\": {}}",
        "{\"version\": 3, \"fingerprint\": \"f\", \"pages\": {}} {}",
        "{\"version\": 3, \"fingerprint\": \"f\", \"pages\": {",
        "not json")) {
      Files.writeString(file, text, StandardCharsets.UTF_8);

      BuildState loaded = BuildState.load(file);

      assertThat(loaded.fingerprint()).as(text).isEmpty();
      assertThat(loaded.pages()).as(text).isEmpty();
    }
  }
}
