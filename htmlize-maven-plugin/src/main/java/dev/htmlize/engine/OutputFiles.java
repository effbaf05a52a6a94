package dev.htmlize.engine;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/** Writes outputs atomically (a temporary file in the same directory, then a move), and only when they change. */
final class OutputFiles {
  private OutputFiles() {
  }

  /** Writes the file unless it already holds these bytes; {@code true} if it wrote. */
  static boolean writeIfChanged(Path file, byte[] content) throws IOException {
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == content.length
        && Arrays.equals(Files.readAllBytes(file), content)) {
      return false;
    }
    writeAtomically(file, content);
    return true;
  }

  static void writeAtomically(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
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
