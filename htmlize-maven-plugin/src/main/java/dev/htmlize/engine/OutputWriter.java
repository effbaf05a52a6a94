package dev.htmlize.engine;

import dev.htmlize.goplugin.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The output directory, as htmlize may touch it. Pages are written atomically, only when their bytes change, never
 * outside the directory; htmlize writes and removes only its own files (those its state records): a file there that
 * it did not write fails its page, naming it (unless {@code force}), and a page edited since it was written is left
 * in place when its source goes. Every write and removal first marks the build as writing (see {@link BuildLock}).
 * Thread-safe.
 */
final class OutputWriter {
  private final RenderRequest request;
  private final BuildLock lock;
  private final EngineLog log;
  private final Problems problems;
  private final Set<String> owned;
  private final AtomicInteger written = new AtomicInteger();

  OutputWriter(RenderRequest request, BuildState previous, BuildLock lock, EngineLog log, Problems problems) {
    this.request = request;
    this.lock = lock;
    this.log = log;
    this.problems = problems;
    this.owned = previous.ownedOutputs();
  }

  /**
   * Refuses an output directory that is, or is inside, or holds the source directory (symbolic links resolved):
   * pages would be written among the sources, over hand-written files, and read back as sources.
   */
  static void checkApart(RenderRequest request) throws RenderException {
    Path source = resolved(request.sourceDirectory());
    Path output = resolved(request.outputDirectory());
    String overlap = output.equals(source) ? "is the source directory"
        : output.startsWith(source) ? "is inside the source directory " + request.sourceDirectory()
        : source.startsWith(output) ? "holds the source directory " + request.sourceDirectory() : null;
    if (overlap != null) {
      throw new RenderException(List.of(new Problem(request.outputDirectory().toString(), 0, "the output directory "
          + overlap + "; pages would be written among the sources. Give them directories apart (by default "
          + "src/main/htmlize and target/generated-resources/htmlize)")));
    }
  }

  /** A path with the symbolic links of its existing part resolved. */
  private static Path resolved(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      return path;
    }
  }

  /**
   * Writes a page; its record for the next build's state, or empty if it could not be written (a problem says why,
   * and the previous file is left as it was).
   */
  Optional<BuildState.Page> write(IncrementalPlan.Page page, ParsedPage parsed, String html) {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    Path target;
    try {
      target = OutputFiles.resolveInside(request.outputDirectory(), page.output());
      if (!owned.contains(page.output()) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          && !OutputFiles.holds(target, bytes)) {
        if (!request.force()) {
          problems.add(new Problem(page.source(), 0, notOurs(page.output())));
          return Optional.empty();
        }
        log.warn("htmlize: " + page.output() + " was not written by htmlize; overwriting it (force is on)");
      }
      lock.writing();
      if (OutputFiles.writeIfChanged(target, bytes)) {
        written.incrementAndGet();
      }
    } catch (IOException e) {
      problems.add(new Problem(page.source(), 0, "cannot write " + page.output() + ": " + e.getMessage()));
      return Optional.empty();
    }
    return Optional.of(new BuildState.Page(page.digest(), page.output(), Sha256.hex(bytes), parsed.post())
        .withStamps(page.stamp(), FileStamp.of(target)));
  }

  /** How many pages were written (their bytes changed). */
  int written() {
    return written.get();
  }

  /**
   * Why a file in the output directory is not overwritten: it is not this execution's. Names the execution that wrote
   * it, if another one of the project did (their work directories are siblings).
   */
  private String notOurs(String output) {
    String message = "the output directory already has " + output + ", which this execution ("
        + request.workDirectory().getFileName() + ") did not write; refusing to overwrite it.";
    Path siblings = request.workDirectory().getParent();
    if (siblings != null) {
      try (Stream<Path> dirs = Files.list(siblings)) {
        for (Path dir : dirs.filter(d -> !d.equals(request.workDirectory())).sorted().toList()) {
          BuildState other = BuildState.load(dir.resolve(BuildState.FILE_NAME));
          if (other.outputDirectory().equals(request.outputDirectory().toString())
              && other.ownedOutputs().contains(output)) {
            return message + " Execution " + dir.getFileName() + " writes it: two executions share the output "
                + "directory " + request.outputDirectory() + "; give each its own outputDirectory";
          }
        }
      } catch (IOException e) {
        // No sibling to name.
      }
    }
    return message + " Move it away, choose another outputDirectory, or set force to let htmlize overwrite files "
        + "it did not write";
  }

  /**
   * Removes pages this execution wrote whose source is gone, each if it still holds what was written; one changed
   * since is left where it is, with a warning, and is no longer this execution's.
   *
   * @return how many were removed
   */
  int removeAll(Map<String, BuildState.Page> pagesBySource) throws IOException {
    int removed = 0;
    for (Map.Entry<String, BuildState.Page> entry : pagesBySource.entrySet()) {
      if (remove(entry.getKey(), entry.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  private boolean remove(String source, BuildState.Page page) throws IOException {
    Path output;
    try {
      output = OutputFiles.resolveInside(request.outputDirectory(), page.outputPath());
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot remove the page of a deleted source: " + e.getMessage()));
      return false;
    }
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!IncrementalPlan.outputStamped(request, page) && !IncrementalPlan.outputIntact(request, page)) {
      log.warn("htmlize: " + page.outputPath() + " is left in place: its source " + source + " is gone, but the file "
          + "was changed since htmlize wrote it; delete it if it is not needed");
      return false;
    }
    lock.writing();
    try {
      Files.delete(output);
      log.debug("removed " + page.outputPath() + ": its source " + source + " is gone");
      return true;
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot remove the page of a deleted source: " + e.getMessage()));
      return false;
    }
  }

  /**
   * The outputs this execution still owns that no page record of the next state names: those of pages that failed
   * this time (their previous page is left as it was, and is still this execution's to replace).
   */
  List<String> stillOwned(Map<String, String> outputs, Map<String, BuildState.Page> next) {
    Set<String> recorded = new HashSet<>();
    next.values().forEach(page -> recorded.add(page.outputPath()));
    List<String> kept = new ArrayList<>();
    for (String output : owned) {
      if (!recorded.contains(output) && outputs.containsKey(output)
          && Files.exists(request.outputDirectory().resolve(output), LinkOption.NOFOLLOW_LINKS)) {
        kept.add(output);
      }
    }
    return kept;
  }
}
