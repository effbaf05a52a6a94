package dev.htmlize.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
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
import org.junit.jupiter.api.Assertions;

/**
 * The README's steps, as the ITs run them: a section's fenced code blocks, parsed with commonmark-java. A block whose
 * info string names a file after its language ({@code ```xml site/pom.xml}) is that file; an {@code sh} block is a
 * command, run with {@code sh -e} in the section's directory with the Maven that runs this build as {@code mvn} on the
 * {@code PATH}. Other blocks are not steps.
 */
final class ReadmeSteps {
  static final Path README = Paths.get("../README.md").toAbsolutePath().normalize();

  private ReadmeSteps() {
  }

  /** Runs a section's steps in {@code dir}, logging to {@code log}; the mvn of the steps installs into {@code repository}. */
  static void run(String heading, Path dir, Path log, Path repository) throws Exception {
    List<FencedCodeBlock> steps = steps(heading);
    assertThat(steps).as("the steps of the README's section \"%s\"", heading).isNotEmpty();
    for (FencedCodeBlock step : steps) {
      if (!write(step, dir)) {
        sh(step.getLiteral(), dir, log, repository);
      }
    }
  }

  /** Writes the files of a section (and nothing else) into {@code dir}; how many. */
  static int writeFiles(String heading, Path dir) throws IOException {
    int files = 0;
    for (FencedCodeBlock step : steps(heading)) {
      if (write(step, dir)) {
        files++;
      }
    }
    return files;
  }

  private static boolean write(FencedCodeBlock step, Path dir) throws IOException {
    String[] info = step.getInfo().strip().split("\\s+");
    if (info.length < 2) {
      return false;
    }
    Path file = dir.resolve(info[1]).normalize();
    assertThat(file.startsWith(dir)).as("%s is in the section's directory", info[1]).isTrue();
    Files.createDirectories(file.getParent());
    Files.writeString(file, step.getLiteral(), StandardCharsets.UTF_8);
    return true;
  }

  /** The fenced code blocks that are steps, in the section under the heading, up to the next heading as high. */
  static List<FencedCodeBlock> steps(String heading) throws IOException {
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

  /** Runs a shell script as a step; fails, with the end of the log, unless it exits with status 0. */
  static void sh(String script, Path dir, Path log, Path repository) throws Exception {
    int status = shStatus(script, dir, log, repository);
    if (status != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      Assertions.fail("the step\n" + script + "exited with status " + status + "; the end of " + log + ":\n" + tail);
    }
  }

  /** Runs a shell script as a step; its exit status. */
  static int shStatus(String script, Path dir, Path log, Path repository) throws Exception {
    Path mavenHome = Path.of(System.getProperty("maven.home", ""));
    assertThat(mavenHome.resolve("bin/mvn")).as("the Maven running this build (maven.home)").isRegularFile();
    Files.writeString(log, "$ " + script.strip().replace("\n", "\n$ ") + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder("sh", "-ec", script).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("PATH", mavenHome.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    // A local repository of the steps' own (what they install goes there, not into the developer's), chained to the
    // build's (where it installed htmlize), read-only; and the build's offline mode.
    StringBuilder mavenArgs = new StringBuilder("-B -ntp -Dmaven.repo.local=" + repository);
    String buildRepository = System.getProperty("htmlize.it.localRepository", "");
    if (!buildRepository.isEmpty()) {
      mavenArgs.append(" -Dmaven.repo.local.tail=").append(buildRepository);
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
    return process.exitValue();
  }

  static void deleteTree(Path dir) throws IOException {
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
