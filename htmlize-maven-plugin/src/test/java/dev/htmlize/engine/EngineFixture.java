package dev.htmlize.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared setup of the engine's test classes: a source directory, an output directory and a work directory under
 * a test's temporary directory, sources written into it, builds run on it with a log that keeps what it is told.
 */
final class EngineFixture {
  final Path src;
  final Path out;
  final Path work;
  final RecordingLog log = new RecordingLog();

  EngineFixture(Path temp) throws IOException {
    this.src = Files.createDirectories(temp.resolve("src"));
    this.out = temp.resolve("out");
    this.work = temp.resolve("work");
  }

  /** A request for this fixture's directories, with the body-only layout. */
  RenderRequest.Builder request() {
    return RenderRequest.builder(src, out, work).layout(new Layout.None());
  }

  /** Writes a source (UTF-8), making its directories. */
  Path write(String path, String content) throws IOException {
    Path file = src.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  RenderSummary render() throws RenderException {
    return render(request());
  }

  RenderSummary render(RenderRequest.Builder request) throws RenderException {
    return new Engine(log).render(request.build());
  }

  /** The problems of a build that must fail, as {@code path:line: message}. */
  List<String> problems(RenderRequest.Builder request) {
    try {
      new Engine(log).render(request.build());
    } catch (RenderException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("the build did not fail");
  }

  /** A page as written. */
  String page(String path) throws IOException {
    return Files.readString(out.resolve(path), StandardCharsets.UTF_8);
  }
}
