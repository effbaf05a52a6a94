package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's sample, and inputs with whitespace in every position, rendered through the real tt and narcissist
 * plugin processes, byte for byte as the article's Go program printed them.
 */
class SampleTextConformanceTest {
  @TempDir
  Path temp;

  @Test
  void rendersTheArticlesSampleExactlyAsItsGoProgramDid() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.copy(Path.of("src/test/resources/reference/sampletext.txt"), src.resolve("sampletext.txt"));
    RenderRequest request = RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
        .plugin(TestPlugins.tt()).plugin(TestPlugins.narcissist())
        .defaultAuthor("Joe").layout(new Layout.None()).build();

    RenderSummary summary = new Engine(new RecordingLog()).render(request);

    assertThat(summary.rendered()).isEqualTo(1);
    assertThat(summary.plugins()).isEqualTo(2);
    assertThat(Files.readAllBytes(temp.resolve("out/sampletext.html")))
        .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/reference/sampletext.expected.html")));
  }

  @Test
  void rendersWhitespaceInEveryPositionExactlyAsItsGoProgramDid() throws Exception {
    Path cases = Path.of("src/test/resources/reference/whitespace");
    Path src = Files.createDirectories(temp.resolve("src"));
    List<String> names;
    try (Stream<Path> files = Files.list(cases)) {
      names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
          .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
    }
    for (String name : names) {
      Files.copy(cases.resolve(name + ".txt"), src.resolve(name + ".txt"));
    }
    RenderRequest request = RenderRequest.builder(src, temp.resolve("out"), temp.resolve("work"))
        .plugin(TestPlugins.tt()).plugin(TestPlugins.narcissist())
        .defaultAuthor("Joe").layout(new Layout.None()).build();

    RenderSummary summary = new Engine(new RecordingLog()).render(request);

    assertThat(names).hasSizeGreaterThanOrEqualTo(12);
    assertThat(summary.rendered()).isEqualTo(names.size());
    for (String name : names) {
      assertThat(Files.readString(temp.resolve("out/" + name + ".html"))).as(name)
          .isEqualTo(Files.readString(cases.resolve(name + ".expected.html")));
    }
  }
}
