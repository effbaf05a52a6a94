package dev.htmlize.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sources of a build: the walk of the source directory, matched against the includes and excludes, with each
 * file's size and modification time as the walk saw it; and its assets, every other file that is not hidden (no part
 * of its path starts with {@code .}) and not matched by the asset excludes. A source directory that is a symbolic
 * link is followed (the root only: linked directories inside are not walked); a linked file is a source, read every
 * time. What the
 * includes match but cannot be a source (a directory, a FIFO, a broken or looping link) gets a warning naming it; a
 * file whose name the platform cannot decode is a problem; a file deleted while the tree is listed is simply not there.
 */
final class SourceScan {
  private final RenderRequest request;
  private final EngineLog log;
  private final Problems problems;
  private final List<PathMatcher> includes;
  private final List<PathMatcher> excludes;
  private final List<PathMatcher> assetExcludes;

  /**
   * What the walk found, each file with its stamp as the walk saw it ({@code null} for a file reached through a link,
   * which is read every time).
   *
   * @param pages  the sources to render, in order
   * @param assets the files to copy as they are, in order
   */
  record Sources(Map<String, FileStamp> pages, Map<String, FileStamp> assets) {
  }

  private SourceScan(RenderRequest request, EngineLog log, Problems problems) {
    this.request = request;
    this.log = log;
    this.problems = problems;
    this.includes = request.includes().stream().map(SourceScan::glob).toList();
    this.excludes = request.excludes().stream().map(SourceScan::glob).toList();
    this.assetExcludes = request.assetExcludes().stream().map(SourceScan::glob).toList();
  }

  /**
   * The sources and assets.
   *
   * @throws RenderException if the source directory is not a directory, or cannot be listed at all
   */
  static Sources scan(RenderRequest request, EngineLog log, Problems problems) throws RenderException {
    return new SourceScan(request, log, problems).walk();
  }

  private Sources walk() throws RenderException {
    Path root = request.sourceDirectory();
    if (!Files.exists(root)) {
      log.info("htmlize: no source directory " + root + "; nothing to render");
      return new Sources(Map.of(), Map.of());
    }
    if (!Files.isDirectory(root)) {
      throw new RenderException(List.of(new Problem(root.toString(), 0, "the source directory is a file, not a "
          + "directory; set sourceDirectory to the directory that holds the pages")));
    }
    Path walked;
    try {
      walked = root.toRealPath();
    } catch (IOException e) {
      throw new RenderException(List.of(new Problem(root.toString(), 0, "cannot list sources: " + e.getMessage())));
    }
    TreeMap<String, FileStamp> sources = new TreeMap<>();
    TreeMap<String, FileStamp> assets = new TreeMap<>();
    try {
      Files.walkFileTree(walked, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          if (!dir.equals(walked) && matched(walked.relativize(dir))) {
            log.warn("htmlize: " + name(walked.relativize(dir)) + " is a directory, not a source; its files are "
                + "looked at as usual");
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          Path relative = walked.relativize(file);
          if (!matched(relative)) {
            if (!hidden(relative) && !matches(assetExcludes, relative)) {
              take(file, relative, attributes, assets, "copied", "a file to copy");
            }
            return FileVisitResult.CONTINUE;
          }
          take(file, relative, attributes, sources, "read", "a source");
          return FileVisitResult.CONTINUE;
        }

        /**
         * Puts a source or an asset in its map, with its stamp ({@code null} for a linked file); names what cannot be
         * taken: a name the platform cannot decode (a problem), what is not a regular file (a warning).
         */
        private void take(Path file, Path relative, BasicFileAttributes attributes, Map<String, FileStamp> into,
                          String verb, String what) {
          String name = name(relative);
          if (!walked.resolve(name).equals(file)) {
            problems.add(new Problem(name, 0, "the file name is not valid in the platform's encoding of file "
                + "names (" + System.getProperty("sun.jnu.encoding") + "), so it cannot be " + verb + " by that name; "
                + "rename it, or run the build with a UTF-8 locale (LANG=C.UTF-8) if the name is UTF-8"));
          } else if (attributes.isRegularFile()) {
            into.put(name, FileStamp.of(attributes));
          } else if (attributes.isSymbolicLink() && Files.isRegularFile(file)) {
            into.put(name, null);
          } else {
            log.warn("htmlize: " + name + " is " + notASource(file, attributes) + ", not " + what + "; skipped");
          }
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (!(e instanceof NoSuchFileException)) {
            problems.add(new Problem(name(walked.relativize(file)), 0, "cannot list or read it: " + e.getMessage()));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RenderException(List.of(new Problem(root.toString(), 0, "cannot list sources: " + e.getMessage())));
    }
    return new Sources(sources, assets);
  }

  /** Whether a part of the path starts with a dot ({@code .git/}, {@code .DS_Store}): not an asset. */
  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private boolean matched(Path relative) {
    return matches(includes, relative) && !matches(excludes, relative);
  }

  private static String name(Path relative) {
    return relative.toString().replace(File.separatorChar, '/');
  }

  /** What a matched path that is not a regular file is, in words. */
  private static String notASource(Path file, BasicFileAttributes attributes) {
    if (!attributes.isSymbolicLink()) {
      return "not a regular file (a FIFO, a socket or a device)";
    }
    if (Files.isDirectory(file)) {
      return "a symbolic link to a directory (linked directories are not walked)";
    }
    try {
      file.toRealPath();
      return "a symbolic link to something that is not a regular file";
    } catch (NoSuchFileException e) {
      return "a broken symbolic link";
    } catch (FileSystemException e) {
      return "a symbolic link that cannot be followed (" + e.getReason() + ")";
    } catch (IOException e) {
      return "a symbolic link that cannot be followed (" + e.getMessage() + ")";
    }
  }

  private static boolean matches(List<PathMatcher> matchers, Path relative) {
    for (PathMatcher matcher : matchers) {
      if (matcher.matches(relative)) {
        return true;
      }
    }
    return false;
  }

  /** A glob where {@code **}{@code /} also matches no directory at all, as in Maven's includes. */
  static PathMatcher glob(String pattern) {
    PathMatcher full = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    if (!pattern.startsWith("**/")) {
      return full;
    }
    PathMatcher top = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3));
    return path -> full.matches(path) || top.matches(path);
  }
}
