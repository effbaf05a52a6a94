package dev.htmlize.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file's size and modification time (in nanoseconds, as precise as the file system keeps it): what an incremental
 * build compares before it reads and digests a file.
 */
record FileStamp(long size, long modifiedNanos) {
  /** The stamp of a regular file (not followed through a link), or {@code null} if there is none. */
  static FileStamp of(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? of(attributes) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The stamp of a file as a walk read its attributes. */
  static FileStamp of(BasicFileAttributes attributes) {
    return new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  /** Whether this stamp is the recorded one; a record without a time (0) never matches. */
  boolean matches(long recordedSize, long recordedModifiedNanos) {
    return recordedModifiedNanos != 0 && size == recordedSize && modifiedNanos == recordedModifiedNanos;
  }
}
