package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The article's sample, rendered through the real tt and narcissist plugin processes, byte for byte. */
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
}
