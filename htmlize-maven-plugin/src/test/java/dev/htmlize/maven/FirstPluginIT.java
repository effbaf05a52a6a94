package dev.htmlize.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import java.io.IOException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's "Your first plugin" sections, run as written: each section's steps, from an empty directory, with the
 * Maven that runs this build as {@code mvn} on the {@code PATH} and its local repository (where the build has just
 * installed htmlize) behind one of their own under {@code target/}, then the page they render read with jsoup.
 *
 * <p>A step is a fenced code block of the section: {@code sh} blocks are run with {@code sh -e} in the directory the
 * section starts in, and a block whose info string names a file after its language ({@code ```xml site/pom.xml})
 * writes that file. Other blocks are not steps.
 */
class FirstPluginIT {
  private static final Path WORK = Paths.get("target/first-plugin").toAbsolutePath();

  @Test
  void javaFromTheArchetype() throws Exception {
    Path dir = runSection("Your first plugin in Java", "java");

    Element note = renderedPage(dir).selectFirst("main span.note");
    assertThat(note).as("the role rendered by the plugin the archetype made").isNotNull();
    assertThat(note.text()).isEqualTo("first");
    // mvn install ran the generated project's test, which starts the plugin with the test kit.
    try (Stream<Path> reports = Files.list(dir.resolve("htmlize-note-plugin/target/surefire-reports"))) {
      assertThat(reports.map(p -> p.getFileName().toString())).contains("TEST-com.example.note.NotePluginTest.xml");
    }
  }

  @Test
  void python() throws Exception {
    requireTools("/usr/bin/python3", "/usr/bin/protoc", "/usr/bin/grpc_python_plugin");
    Path dir = runSection("Your first plugin in Python", "python");

    Element note = renderedPage(dir).selectFirst("main span.note");
    assertThat(note).as("the role rendered by the Python plugin").isNotNull();
    assertThat(note.text()).isEqualTo("first");
    // The section's test ran, with the SDK's test kit, and passed.
    assertThat(Files.readString(WORK.resolve("python.log"), StandardCharsets.UTF_8))
        .contains("test_an_empty_note_is_an_error_at_its_role", "Ran 2 tests", "OK");
  }

  @Test
  void go() throws Exception {
    requireTools("/usr/bin/go", "/usr/share/gocode/src/github.com/hashicorp/go-plugin/server.go", "/usr/bin/jar");
    Path dir = runSection("Your first plugin in Go", "go");

    Element kbd = renderedPage(dir).selectFirst("main kbd");
    assertThat(kbd).as("the role rendered by the Go plugin").isNotNull();
    assertThat(kbd.text()).isEqualTo("Ctrl+C");
  }

  private static Document renderedPage(Path dir) throws IOException {
    Path page = dir.resolve("site/target/generated-resources/htmlize/index.html");
    assertThat(page).as("the page the section's steps render").isRegularFile();
    return Jsoup.parse(page.toFile(), "UTF-8");
  }

  private static void requireTools(String... paths) {
    for (String path : paths) {
      if (!Files.exists(Path.of(path))) {
        String message = path + " is missing: dev/install-test-deps installs it";
        if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
          Assertions.fail(message);
        }
        Assumptions.abort(message);
      }
    }
  }

  /** Runs a section's steps in a new empty directory, and returns the directory. */
  private static Path runSection(String heading, String name) throws Exception {
    Path dir = WORK.resolve(name);
    ReadmeSteps.deleteTree(dir);
    Files.createDirectories(dir);
    Path log = WORK.resolve(name + ".log");
    Files.deleteIfExists(log);
    ReadmeSteps.run(heading, dir, log, WORK.resolve("repository"));
    return dir;
  }
}
