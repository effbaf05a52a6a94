package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source scan: a linked source directory is followed, a file in its place is an error, what the includes match
 * but cannot be a page is named in a warning, a name the platform cannot decode is an error, and sources that vanish
 * while the build runs are simply gone. Nothing is skipped without a word.
 */
class SourceScanTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  @Test
  void aSourceDirectoryThatIsASymbolicLinkIsFollowed() throws Exception {
    site.write("a.md", "A.\n");
    site.write("docs/b.md", "B.\n");
    Path link = Files.createSymbolicLink(site.root().resolve("linked-src"), site.src);

    RenderSummary summary = site.render(RenderRequest.builder(link, site.out, site.work).layout(new Layout.None()));

    assertThat(summary.rendered()).isEqualTo(2);
    assertThat(site.page("docs/b.html")).isEqualTo("<p>B.</p>\n");
  }

  @Test
  void aSourceDirectoryThatIsAFileIsAnErrorLoggedOnce() throws Exception {
    Path file = Files.writeString(site.root().resolve("pages.md"), "Not a directory.\n");

    List<String> problems = site.problems(RenderRequest.builder(file, site.out, site.work));

    String expected = file + ": the source directory is a file, not a directory; set sourceDirectory to the "
        + "directory that holds the pages";
    assertThat(problems).containsExactly(expected);
    assertThat(site.log.error).containsExactly(expected);
  }

  @Test
  void whatTheIncludesMatchButCannotBeAPageIsNamedInAWarning() throws Exception {
    site.write("page.md", "A page.\n");
    Files.createDirectories(site.src.resolve("folder.md"));
    site.write("folder.md/inside.md", "Inside.\n");
    Files.createSymbolicLink(site.src.resolve("broken.md"), site.src.resolve("missing.md"));
    Files.createSymbolicLink(site.src.resolve("loop.md"), site.src.resolve("loop.md"));
    Files.createSymbolicLink(site.src.resolve("linked-dir.md"), Files.createDirectories(site.root().resolve("elsewhere")));
    Process mkfifo = new ProcessBuilder("mkfifo", site.src.resolve("pipe.md").toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    RenderSummary summary = site.render();

    assertThat(summary.rendered()).isEqualTo(2);
    assertThat(site.page("folder.md/inside.html")).isEqualTo("<p>Inside.</p>\n");
    assertThat(site.log.warn).containsExactlyInAnyOrder(
        "htmlize: folder.md is a directory, not a source; its files are looked at as usual",
        "htmlize: broken.md is a broken symbolic link, not a source; skipped",
        "htmlize: loop.md is a symbolic link that cannot be followed (Too many levels of symbolic links or unable "
            + "to access attributes of symbolic link), not a source; skipped",
        "htmlize: linked-dir.md is a symbolic link to a directory (linked directories are not walked), not a "
            + "source; skipped",
        "htmlize: pipe.md is not a regular file (a FIFO, a socket or a device), not a source; skipped");
  }

  @Test
  void aFileNameThePlatformCannotDecodeIsAnErrorThatSaysWhy() throws Exception {
    site.write("good.md", "Good.\n");
    // A name with a byte that is valid in no encoding of file names this could run with (UTF-8 or ASCII).
    Process touch = new ProcessBuilder("sh", "-c", "touch \"$1/bad$(printf '\\377').md\"", "sh", site.src.toString())
        .inheritIO().start();
    assertThat(touch.waitFor()).isZero();

    List<String> problems = site.problems(site.request());

    assertThat(problems).singleElement().asString()
        .startsWith("bad")
        .contains(".md: the file name is not valid in the platform's encoding of file names (")
        .endsWith("rename it, or run the build with a UTF-8 locale (LANG=C.UTF-8) if the name is UTF-8");
    assertThat(site.page("good.html")).isEqualTo("<p>Good.</p>\n");
  }

  @Test
  void sourcesDeletedWhileTheBuildRunsAreSimplyGone() throws Exception {
    int pages = 400;
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      sources.add(site.write("p" + i + ".md", "Page " + i + ".\n"));
    }
    site.render();
    // Every source changes, then a thread deletes them, last first, while a build lists, reads and renders them:
    // whichever step a source vanishes at, it is gone, not a problem.
    for (int i = 0; i < pages; i++) {
      site.write("p" + i + ".md", "Page " + i + ", again.\n");
    }
    AtomicBoolean started = new AtomicBoolean();
    Thread deleter = new Thread(() -> {
      for (int i = pages - 1; i >= pages / 2; i--) {
        try {
          Files.delete(sources.get(i));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        started.set(true);
      }
    });
    deleter.start();
    site.render(site.request().threads(1));
    deleter.join();

    assertThat(started).isTrue();
    assertThat(site.log.error).isEmpty();
    // Once quiet, one more build leaves exactly the pages of the sources that are left.
    site.render();
    try (Stream<Path> files = Files.list(site.out)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactlyInAnyOrderElementsOf(
          sources.subList(0, pages / 2).stream().map(f -> f.getFileName().toString().replace(".md", ".html"))
              .toList());
    }
    for (int i = 0; i < pages / 2; i++) {
      assertThat(site.page("p" + i + ".html")).isEqualTo("<p>Page " + i + ", again.</p>\n");
    }
  }
}
