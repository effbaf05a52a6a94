package dev.htmlize.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nu HTML Checker (the W3C's validator, vnu), run on files in a JVM of its own, from the class path that
 * {@code test-tools/nu-html-checker} writes: on this JVM's class path its logging libraries would reach the plugins
 * that tests start from it.
 */
final class HtmlChecker {
  private static final Path CLASS_PATH = Path.of("../test-tools/nu-html-checker/target/classpath.txt");

  private HtmlChecker() {
  }

  /** The checker's errors about the files (warnings and advice left out), one line each: {@code "file":line.col: …}. */
  static List<String> errors(List<Path> files) throws IOException, InterruptedException {
    if (!Files.isRegularFile(CLASS_PATH)) {
      throw new IllegalStateException(CLASS_PATH.toAbsolutePath().normalize() + " is missing: build the reactor "
          + "(its test-tools/nu-html-checker module writes it)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", Files.readString(CLASS_PATH).strip(), "nu.validator.client.SimpleCommandLineValidator",
        "--errors-only", "--format", "gnu", "--stdout"));
    files.forEach(file -> command.add(file.toString()));
    Process checker = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(checker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = checker.waitFor();
    List<String> errors = output.lines().filter(line -> !line.isBlank()).toList();
    if (status != 0 && errors.isEmpty()) {
      throw new IllegalStateException("the checker failed with status " + status + " and said nothing");
    }
    return errors;
  }
}
