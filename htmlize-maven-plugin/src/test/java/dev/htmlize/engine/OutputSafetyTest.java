package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What htmlize may do to the output directory: write and remove only its own files (never a hand-written one, never
 * another execution's), refuse directories that overlap the sources, give pages the mode any file gets, and sweep the
 * temporary files a killed build left.
 */
class OutputSafetyTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  @Test
  void aHandWrittenFileInTheOutputDirectoryIsNeitherOverwrittenNorDeleted() throws Exception {
    site.write("index.md", "Generated.\n");
    site.write("other.md", "Other.\n");
    Files.createDirectories(site.out);
    Files.writeString(site.out.resolve("index.html"), "<p>written by hand</p>\n");

    List<String> problems = site.problems(site.request());

    assertThat(problems).containsExactly("index.md: the output directory already has index.html, which this "
        + "execution (work) did not write; refusing to overwrite it. Move it away, choose another outputDirectory, "
        + "or set force to let htmlize overwrite files it did not write");
    assertThat(site.page("index.html")).isEqualTo("<p>written by hand</p>\n");
    assertThat(site.page("other.html")).isEqualTo("<p>Other.</p>\n");

    // Its source gone, the file is still not htmlize's to remove.
    Files.delete(site.src.resolve("index.md"));
    assertThat(site.render().removed()).isZero();
    assertThat(site.page("index.html")).isEqualTo("<p>written by hand</p>\n");
  }

  @Test
  void forceOverwritesAFileHtmlizeDidNotWriteAndSaysSo() throws Exception {
    site.write("index.md", "Generated.\n");
    Files.createDirectories(site.out);
    Files.writeString(site.out.resolve("index.html"), "<p>written by hand</p>\n");

    site.render(site.request().force(true));

    assertThat(site.page("index.html")).isEqualTo("<p>Generated.</p>\n");
    assertThat(site.log.warn).contains("htmlize: index.html was not written by htmlize; overwriting it (force is on)");
    // From then on it is htmlize's page: removed with its source.
    Files.delete(site.src.resolve("index.md"));
    assertThat(site.render().removed()).isEqualTo(1);
    assertThat(site.out.resolve("index.html")).doesNotExist();
  }

  @Test
  void aFileThatAlreadyHoldsThePageIsTakenAsIs() throws Exception {
    site.write("a.md", "A.\n");
    Files.createDirectories(site.out);
    Files.writeString(site.out.resolve("a.html"), "<p>A.</p>\n");

    RenderSummary first = site.render();

    assertThat(first.rendered()).isEqualTo(1);
    assertThat(first.written()).isZero();
    site.write("a.md", "A, changed.\n");
    site.render();
    assertThat(site.page("a.html")).isEqualTo("<p>A, changed.</p>\n");
  }

  @Test
  void twoExecutionsSharingAnOutputDirectoryNeverTouchEachOthersPagesAndAClashNamesBoth() throws Exception {
    Path docs = Files.createDirectories(site.root().resolve("docs"));
    Path notes = Files.createDirectories(site.root().resolve("notes"));
    Files.writeString(docs.resolve("guide.md"), "Guide.\n");
    Files.writeString(notes.resolve("todo.md"), "Todo.\n");
    Path executions = site.root().resolve("target/htmlize");
    RenderRequest.Builder first = RenderRequest.builder(docs, site.out, executions.resolve("docs"))
        .layout(new Layout.None());
    RenderRequest.Builder second = RenderRequest.builder(notes, site.out, executions.resolve("notes"))
        .layout(new Layout.None());

    site.render(first);
    site.render(second);
    RenderSummary firstAgain = site.render(first);
    RenderSummary secondAgain = site.render(second);

    assertThat(site.page("guide.html")).isEqualTo("<p>Guide.</p>\n");
    assertThat(site.page("todo.html")).isEqualTo("<p>Todo.</p>\n");
    assertThat(List.of(firstAgain.rendered(), firstAgain.removed(), secondAgain.rendered(), secondAgain.removed()))
        .containsOnly(0);

    Files.writeString(notes.resolve("guide.md"), "Another guide.\n");
    assertThat(site.problems(second)).containsExactly("guide.md: the output directory already has guide.html, "
        + "which this execution (notes) did not write; refusing to overwrite it. Execution docs writes it: two "
        + "executions share the output directory " + site.out + "; give each its own outputDirectory");
    assertThat(site.page("guide.html")).isEqualTo("<p>Guide.</p>\n");
  }

  @Test
  void aPageEditedAfterItWasWrittenIsLeftInPlaceWhenItsSourceGoes() throws Exception {
    site.write("a.md", "A.\n");
    site.render();
    Files.writeString(site.out.resolve("a.html"), "<p>A, with an edit worth keeping.</p>\n");
    Files.delete(site.src.resolve("a.md"));

    RenderSummary summary = site.render();

    assertThat(summary.removed()).isZero();
    assertThat(site.page("a.html")).isEqualTo("<p>A, with an edit worth keeping.</p>\n");
    assertThat(site.log.warn).contains("htmlize: a.html is left in place: its source a.md is gone, but the file was "
        + "changed since htmlize wrote it; delete it if it is not needed");
  }

  @Test
  void aPageThatFailsStaysThisExecutionsToReplace() throws Exception {
    site.write("a.md", "A.\n");
    site.render();
    Files.write(site.src.resolve("a.md"), new byte[] {'A', (byte) 0xff, '\n'});

    assertThat(site.problems(site.request())).singleElement().asString().startsWith("a.md:1: bytes that are not");
    assertThat(site.page("a.html")).isEqualTo("<p>A.</p>\n");

    site.write("a.md", "A, fixed.\n");
    site.render();
    assertThat(site.page("a.html")).isEqualTo("<p>A, fixed.</p>\n");
  }

  @Test
  void outputAndSourceDirectoriesThatOverlapAreRefusedBeforeAnythingIsWritten() throws Exception {
    site.write("index.md", "Index.\n");
    Path linkToSources = Files.createSymbolicLink(site.root().resolve("link"), site.src);
    List<RenderRequest.Builder> overlapping = List.of(
        RenderRequest.builder(site.src, site.src, site.work),
        RenderRequest.builder(site.src, site.src.resolve("html"), site.work),
        RenderRequest.builder(site.src, site.root(), site.work),
        RenderRequest.builder(site.src, linkToSources.resolve("out"), site.work));

    for (RenderRequest.Builder request : overlapping) {
      assertThat(site.problems(request)).singleElement().asString()
          .contains(": the output directory ")
          .endsWith("pages would be written among the sources. Give them directories apart (by default "
              + "src/main/htmlize and target/generated-resources/htmlize)");
    }
    try (Stream<Path> files = Files.walk(site.src)) {
      assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(site.src.resolve("index.md"));
    }
  }

  @Test
  void pagesAndTheStateGetTheModeAnyNewFileGets() throws Exception {
    site.write("a.md", "A.\n");
    site.render();
    Path plain = Files.writeString(site.out.resolve("plain"), "x");

    String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
    assertThat(expected).as("the umask lets others read files").isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(site.out.resolve("a.html"))))
        .isEqualTo(expected);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        site.work.resolve("htmlize-state.json")))).isEqualTo(expected);
  }

  @Test
  void theTemporaryFilesOfABuildKilledWhileWritingAreSweptByTheNext() throws Exception {
    site.write("a.md", "A.\n");
    site.render();
    // What a build killed while writing leaves: its marker, and temporary files of this release and the last.
    Files.writeString(site.work.resolve("writing"), "");
    Path current = Files.writeString(site.out.resolve(".a.html.htmlize-0123456789abcdef.tmp"), "<p>A");
    Path earlier = Files.createDirectories(site.out.resolve("sub")).resolve(".b.html8093423.tmp");
    Files.writeString(earlier, "<p>B");
    Path state = Files.writeString(site.work.resolve(".htmlize-state.json.htmlize-fedcba9876543210.tmp"), "{");
    Path someoneElses = Files.writeString(site.out.resolve(".notes.tmp"), "mine");

    RenderSummary summary = site.render();

    assertThat(summary.rendered()).isZero();
    assertThat(List.of(current, earlier, state)).allSatisfy(file -> assertThat(file).doesNotExist());
    assertThat(someoneElses).hasContent("mine");
    assertThat(site.work.resolve("writing")).doesNotExist();
    assertThat(site.log.info).contains("htmlize: the last build was stopped while writing; removed 3 temporary files "
        + "it left");
  }
}
