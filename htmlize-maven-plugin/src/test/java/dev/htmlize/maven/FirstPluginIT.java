package dev.htmlize.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
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
  private static final Path README = Paths.get("../README.md").toAbsolutePath().normalize();
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
    List<FencedCodeBlock> steps = steps(heading);
    assertThat(steps).as("the steps of the README's section \"%s\"", heading).isNotEmpty();
    Path dir = WORK.resolve(name);
    deleteTree(dir);
    Files.createDirectories(dir);
    Path log = WORK.resolve(name + ".log");
    Files.deleteIfExists(log);
    for (FencedCodeBlock step : steps) {
      String[] info = step.getInfo().strip().split("\\s+");
      if (info.length > 1) {
        Path file = dir.resolve(info[1]).normalize();
        assertThat(file.startsWith(dir)).as("%s is in the section's directory", info[1]).isTrue();
        Files.createDirectories(file.getParent());
        Files.writeString(file, step.getLiteral(), StandardCharsets.UTF_8);
      } else {
        run(step.getLiteral(), dir, log);
      }
    }
    return dir;
  }

  /** The fenced code blocks that are steps, in the section under the heading, up to the next heading as high. */
  private static List<FencedCodeBlock> steps(String heading) throws IOException {
    Node document = Parser.builder().build().parse(Files.readString(README, StandardCharsets.UTF_8));
    List<FencedCodeBlock> steps = new ArrayList<>();
    Heading start = null;
    for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
      if (node instanceof Heading h) {
        if (start != null && h.getLevel() <= start.getLevel()) {
          break;
        }
        if (start == null && text(h).equals(heading)) {
          start = h;
        }
      } else if (start != null && node instanceof FencedCodeBlock block) {
        String[] info = block.getInfo().strip().split("\\s+");
        if (info.length > 1 || info[0].equals("sh")) {
          steps.add(block);
        }
      }
    }
    assertThat(start).as("the README's section \"%s\"", heading).isNotNull();
    return steps;
  }

  private static String text(Node node) {
    StringBuilder text = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text t) {
        text.append(t.getLiteral());
      }

      @Override
      public void visit(Code c) {
        text.append(c.getLiteral());
      }
    });
    return text.toString();
  }

  private static void run(String script, Path dir, Path log) throws Exception {
    Path mavenHome = Path.of(System.getProperty("maven.home", ""));
    assertThat(mavenHome.resolve("bin/mvn")).as("the Maven running this build (maven.home)").isRegularFile();
    Files.writeString(log, "$ " + script.strip().replace("\n", "\n$ ") + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder("sh", "-ec", script).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("PATH", mavenHome.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    // A local repository of the steps' own (what they install, the plugin of the Java section, goes there, not into
    // the developer's), chained to the build's (where it installed htmlize), read-only; and the build's offline mode.
    StringBuilder mavenArgs = new StringBuilder("-B -ntp -Dmaven.repo.local=" + WORK.resolve("repository"));
    String repository = System.getProperty("htmlize.it.localRepository", "");
    if (!repository.isEmpty()) {
      mavenArgs.append(" -Dmaven.repo.local.tail=").append(repository);
    }
    if (System.getProperty("htmlize.it.offline", "").equals("offline=true")) {
      mavenArgs.append(" -o");
    }
    env.put("MAVEN_ARGS", mavenArgs.toString());
    env.remove("MAVEN_OPTS");
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      Assertions.fail("a step did not end within 15 minutes: " + script + "\nsee " + log);
    }
    if (process.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      Assertions.fail("the step\n" + script + "exited with status " + process.exitValue() + "; the end of " + log
          + ":\n" + tail);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
