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
  private final AtomicInteger copiedAssets = new AtomicInteger();

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

  /**
   * Copies an asset, unless its copy still has the stamps recorded when it was made and the asset those it had then.
   * Its record for the next build's state, or empty if it could not be copied (a problem says why) or is gone.
   *
   * @param stamp    the asset's stamp as the scan saw it ({@code null} for a linked file: compared by its bytes)
   * @param recorded its record from the last build, or {@code null}
   */
  Optional<BuildState.Asset> copy(String asset, FileStamp stamp, BuildState.Asset recorded) {
    Path source = request.sourceDirectory().resolve(asset);
    try {
      Path target = OutputFiles.resolveInside(request.outputDirectory(), asset);
      FileStamp copied = FileStamp.of(target);
      if (recorded != null && stamp != null && owned.contains(asset)
          && stamp.matches(recorded.sourceSize(), recorded.sourceModified())
          && copied != null && copied.matches(recorded.outputSize(), recorded.outputModified())) {
        return Optional.of(recorded);
      }
      boolean same = Files.exists(target, LinkOption.NOFOLLOW_LINKS) && OutputFiles.sameBytes(source, target);
      if (!same && !owned.contains(asset) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        if (!request.force()) {
          problems.add(new Problem(asset, 0, notOurs(asset)));
          return Optional.empty();
        }
        log.warn("htmlize: " + asset + " was not written by htmlize; overwriting it (force is on)");
      }
      if (!same) {
        lock.writing();
        OutputFiles.copyAtomically(source, target);
        copiedAssets.incrementAndGet();
      }
      return Optional.of(BuildState.Asset.of(stamp, FileStamp.of(target)));
    } catch (java.nio.file.NoSuchFileException e) {
      if (source.toString().equals(e.getFile())) {
        problems.vanished(asset);
        return Optional.empty();
      }
      problems.add(new Problem(asset, 0, "cannot copy the asset: no such file " + e.getFile()));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(new Problem(asset, 0, "cannot copy the asset to the output directory: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** How many assets were copied (their copies were missing or differed). */
  int copiedAssets() {
    return copiedAssets.get();
  }

  /**
   * Removes the copy of an asset that is gone, if it is as copied; one changed since is left in place, with a
   * warning.
   *
   * @return whether it was removed
   */
  boolean removeAsset(String asset, BuildState.Asset recorded) {
    Path target = request.outputDirectory().resolve(asset);
    FileStamp copy = FileStamp.of(target);
    if (copy == null) {
      return false;
    }
    if (!copy.matches(recorded.outputSize(), recorded.outputModified())) {
      log.warn("htmlize: " + asset + " is left in place: the asset is gone, but its copy was changed since htmlize "
          + "copied it; delete it if it is not needed");
      return false;
    }
    return delete(asset, target, "the asset is gone");
  }

  /**
   * Writes a file of the build's own (the theme's stylesheet, the sitemap, the feed), under the same rules as a
   * page: the SHA-256 of what it holds, or empty if it could not be written (a problem says why).
   */
  Optional<String> writeGenerated(String path, byte[] bytes) {
    try {
      Path target = OutputFiles.resolveInside(request.outputDirectory(), path);
      if (!owned.contains(path) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          && !OutputFiles.holds(target, bytes)) {
        if (!request.force()) {
          problems.add(new Problem(path, 0, notOurs(path)));
          return Optional.empty();
        }
        log.warn("htmlize: " + path + " was not written by htmlize; overwriting it (force is on)");
      }
      if (!OutputFiles.holds(target, bytes)) {
        lock.writing();
        OutputFiles.writeAtomically(target, bytes);
      }
      return Optional.of(Sha256.hex(bytes));
    } catch (IOException e) {
      problems.add(new Problem(path, 0, "cannot write " + path + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** Removes a file of the build's own that it no longer writes, if it holds what was written. */
  boolean removeGenerated(String path, String digest) {
    Path target = request.outputDirectory().resolve(path);
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      if (!Sha256.hex(Files.readAllBytes(target)).equals(digest)) {
        log.warn("htmlize: " + path + " is left in place: htmlize no longer writes it, but it was changed since");
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return delete(path, target, "htmlize no longer writes it");
  }

  private boolean delete(String path, Path target, String why) {
    try {
      lock.writing();
      Files.delete(target);
      log.debug("removed " + path + ": " + why);
      return true;
    } catch (IOException e) {
      problems.add(new Problem(path, 0, "cannot remove it (" + why + "): " + e.getMessage()));
      return false;
    }
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
    if (page.isDraft()) {
      return false;
    }
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
