package dev.htmlize.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared setup of the engine's test classes, as a JUnit extension: each test gets a fresh temporary directory
 * ({@link #root()}, removed after it) with a source directory, an output directory and a work directory, and a log
 * that keeps what it is told; sources are written into it, and builds run on it. A test class declares it once:
 * {@code @RegisterExtension final EngineFixture site = new EngineFixture();}.
 */
final class EngineFixture implements BeforeEachCallback, AfterEachCallback {
  Path src;
  Path out;
  Path work;
  RecordingLog log;
  private Path root;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("htmlize-engine-test-");
    src = Files.createDirectories(root.resolve("src"));
    out = root.resolve("out");
    work = root.resolve("work");
    log = new RecordingLog();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The test's temporary directory, which holds the others: for what else a test needs on disk. */
  Path root() {
    return root;
  }

  /** A request for this fixture's directories, with the body-only layout. */
  RenderRequest.Builder request() {
    return RenderRequest.builder(src, out, work).layout(new Layout.None());
  }

  /** Writes a source (UTF-8), making its directories. */
  Path write(String path, String content) throws IOException {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a source's bytes, making its directories. */
  Path write(String path, byte[] content) throws IOException {
    Path file = src.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
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

  /** The first stages of a build, run on their own: the scan and the plan, with the last build's state. */
  record Planned(RenderRequest request, IncrementalPlan plan, SourceReader reader, Problems problems) {
  }

  Planned plan(RenderRequest.Builder builder) throws RenderException {
    RenderRequest request = builder.build();
    Problems problems = new Problems();
    SourceReader reader = new SourceReader(request, new MarkupRegistry(), problems);
    IncrementalPlan plan = IncrementalPlan.make(request, SourceScan.scan(request, log, problems).pages(),
        BuildState.load(request.workDirectory().resolve(BuildState.FILE_NAME)), ConfigurationFingerprint.of(request),
        reader, problems);
    return new Planned(request, plan, reader, problems);
  }

  /** A page as written. */
  String page(String path) throws IOException {
    return Files.readString(out.resolve(path), StandardCharsets.UTF_8);
  }
}
