package dev.htmlize.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Writes outputs atomically (a temporary file in the same directory, then a move), and only when they change. A
 * temporary file is named {@code .NAME.htmlize-RANDOM.tmp}, so that what a killed build left can be told from anything
 * else and swept by the next one ({@link #sweepTemporaryFiles}); it is created as {@code Files.write} would create the
 * file itself, with the mode the user's umask gives, which the move keeps.
 */
final class OutputFiles {
  private static final String TEMPORARY_SUFFIX = ".tmp";
  /** This release's temporary files, and those of releases that named them {@code .NAME1234567890.tmp}. */
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.htmlize-[0-9a-f]{16}\\.tmp|\\..+\\.html\\d+\\.tmp"
      + "|\\.htmlize-state\\.json\\d+\\.tmp");
  private static final SecureRandom RANDOM = new SecureRandom();

  private OutputFiles() {
  }

  /** Writes the file unless it already holds these bytes; {@code true} if it wrote. */
  static boolean writeIfChanged(Path file, byte[] content) throws IOException {
    if (holds(file, content)) {
      return false;
    }
    writeAtomically(file, content);
    return true;
  }

  /** Whether the file is a regular file (not a link) holding exactly these bytes. */
  static boolean holds(Path file, byte[] content) throws IOException {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == content.length
        && Arrays.equals(Files.readAllBytes(file), content);
  }

  static void writeAtomically(Path file, byte[] content) throws IOException {
    replaceAtomically(file, out -> out.write(content));
  }

  /** Copies a file's bytes over the target atomically, as {@link #writeAtomically} writes (the same mode rules). */
  static void copyAtomically(Path source, Path file) throws IOException {
    replaceAtomically(file, out -> Files.copy(source, out));
  }

  /** What goes into a temporary file before it replaces the target. */
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void replaceAtomically(Path file, Content content) throws IOException {
    Path parent = file.getParent();
    // Files.createDirectories throws and catches an exception for a directory that exists: most do.
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(parent);
    }
    Path temp = null;
    boolean moved = false;
    try {
      OutputStream out = null;
      while (out == null) {
        temp = temporaryName(file);
        try {
          out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          // Try another name.
        }
      }
      try (OutputStream written = out) {
        content.writeTo(written);
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (temp != null && !moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Whether the target is a regular file (not a link) with the same bytes as the source. */
  static boolean sameBytes(Path source, Path target) throws IOException {
    return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(source) == Files.size(target)
        && Files.mismatch(source, target) == -1;
  }

  /**
   * A name for a temporary file beside the file, {@code .NAME.htmlize-RANDOM.tmp}; it is created new ({@code
   * CREATE_NEW}), with the mode a new file gets under the umask.
   */
  private static Path temporaryName(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".htmlize-" + HexFormat.of().toHexDigits(RANDOM.nextLong())
        + TEMPORARY_SUFFIX);
  }

  /**
   * Removes the temporary files a killed build left under a directory (not following links).
   *
   * @return how many were removed
   */
  static int sweepTemporaryFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int[] removed = {0};
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        if (attributes.isRegularFile() && TEMPORARY.matcher(file.getFileName().toString()).matches()
            && Files.deleteIfExists(file)) {
          removed[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return removed[0];
  }

  /**
   * The output file for a relative path, refusing one that would land outside the output directory (through
   * {@code ..} or a symbolic link in the output tree).
   */
  static Path resolveInside(Path outputDirectory, String relative) throws IOException {
    Path file = outputDirectory.resolve(relative).normalize();
    if (!file.startsWith(outputDirectory)) {
      throw new IOException("the output path " + relative + " would be outside the output directory");
    }
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    // Only what already exists inside the output tree can lead elsewhere; above it is the user's own layout.
    if (existing != null && existing.startsWith(outputDirectory)) {
      Path real = existing.toRealPath();
      if (!real.startsWith(outputDirectory.toRealPath())) {
        throw new IOException("the output path " + relative + " goes through a symbolic link to " + real
            + ", outside the output directory");
      }
    }
    if (Files.isSymbolicLink(file)) {
      throw new IOException("the output file " + relative + " is a symbolic link; refusing to write through it");
    }
    return file;
  }
}
