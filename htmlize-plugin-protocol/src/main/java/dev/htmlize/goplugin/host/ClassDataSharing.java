package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Application class-data sharing (AppCDS) archives for plugin JVMs, created on first use and cached by class path
 * and JVM: the first launch of a plugin dumps the classes it loaded when it exits
 * ({@code -XX:ArchiveClassesAtExit}, JDK 13 and later); later launches map them ({@code -XX:SharedArchiveFile}), which
 * roughly halves the time from launch to handshake.
 *
 * <p>An archive is named by a digest of the {@code java} launcher, its runtime image ({@code lib/modules}: path, size,
 * modification time), every class path entry (path, size, modification time), the main class and the JVM options,
 * so a changed jar or JDK gets a new archive. The JVM writes it under a temporary name; the next launch checks that
 * the file is complete (its header, which the JVM writes last, has the dynamic archive's magic number) and moves it
 * into place atomically, under a name that also holds its size and CRC-32C. Each launch checks both before using it
 * (about a millisecond per megabyte): a JDK 17 JVM given a truncated archive dies of SIGBUS with its crash report on
 * stdout, so a damaged file is deleted rather than passed on. An archive that is intact but that the JVM cannot use
 * (another JVM's, a class path that changed under the same name) makes it warn on stderr (the clean-stdout options
 * keep the handshake line clean) and run without one. Any I/O problem just means no archive. Class paths with directories get no archive (CDS takes only jars), nor
 * do JVMs whose options already choose a {@code -Xshare} mode or an archive, or load an agent ({@code -agentpath},
 * {@code -agentlib}, {@code -javaagent}: a JVM with an agent refuses to dump an archive).
 *
 * <p>The host chooses the cache directory and passes it in: under the user's home rather than a build's
 * {@code target/}, archives survive {@code mvn clean} and are shared by every project that runs the same plugin jars
 * from the local repository.
 *
 * <p>The directory is kept under a size cap ({@link #DEFAULT_MAX_BYTES} unless the host says otherwise): when a new
 * archive is published and the archives together are over it, the least recently used are deleted (each use sets an
 * archive's modification time) until they fit, never one that a running process maps (as {@code /proc/PID/maps}
 * shows; where there is no {@code /proc}, never one used in the last hour), nor the new one.
 */
public final class ClassDataSharing {
  /** {@code CDS_DYNAMIC_ARCHIVE_MAGIC}, the first four bytes (little-endian) of a complete dynamic archive. */
  private static final byte[] DYNAMIC_MAGIC = {(byte) 0xa8, (byte) 0xab, (byte) 0x0b, (byte) 0xf0};
  /** A temporary archive younger than this may still be being written: no second dump meanwhile. */
  private static final Duration DUMP_IN_PROGRESS = Duration.ofMinutes(10);
  /** A complete-looking temporary archive is published only once it has been left alone this long. */
  private static final Duration SETTLED = Duration.ofSeconds(1);
  /** The default cap on the archives' total size: 256 MB, about a dozen plugin class paths. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;
  /** Without {@code /proc}, an archive used this recently is taken to be in use. */
  private static final Duration RECENT_USE = Duration.ofHours(1);

  private ClassDataSharing() {
  }

  /**
   * What a plugin JVM gets: the options that use (or, the first time, create) its archive, none when it cannot have
   * one, and whether it dumps one at exit (it then takes a second or more longer to exit).
   */
  public record Options(List<String> options, boolean dumpsAtExit) {
    static final Options NONE = new Options(List.of(), false);

    public Options {
      options = List.copyOf(options);
    }
  }

  /**
   * The class-data sharing options for this plugin JVM.
   *
   * @param jvmOptions every option the JVM gets besides these
   */
  public static Options options(Path java, List<String> jvmOptions, List<Path> classPath, String mainClass,
                                Path directory) {
    return options(java, jvmOptions, classPath, mainClass, directory, DEFAULT_MAX_BYTES);
  }

  /**
   * As {@link #options(Path, List, List, String, Path)}, with the directory kept under this many bytes.
   */
  public static Options options(Path java, List<String> jvmOptions, List<Path> classPath, String mainClass,
                                Path directory, long maxBytes) {
    for (String option : jvmOptions) {
      if (option.startsWith("-Xshare") || option.contains("SharedArchiveFile")
          || option.contains("ArchiveClassesAtExit") || option.contains("AutoCreateSharedArchive")
          // An agent (a profiler, a debugger, a coverage tool): the JVM refuses to dump an archive with one, and
          // does not start.
          || option.startsWith("-agentpath:") || option.startsWith("-agentlib:")
          || option.startsWith("-javaagent:")) {
        return Options.NONE;
      }
    }
    try {
      String key = key(java, jvmOptions, classPath, mainClass);
      if (key == null) {
        return Options.NONE;
      }
      Files.createDirectories(directory);
      Optional<Path> archive = intactArchive(directory, key);
      if (archive.isPresent()) {
        used(archive.get());
        return new Options(List.of("-XX:SharedArchiveFile=" + archive.get()), false);
      }
      boolean dumping = false;
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, key + ".*.tmp")) {
        for (Path temp : temps) {
          BasicFileAttributes attributes = Files.readAttributes(temp, BasicFileAttributes.class);
          Instant modified = attributes.lastModifiedTime().toInstant();
          if (isComplete(temp) && modified.isBefore(Instant.now().minus(SETTLED))) {
            Path published = publish(temp, directory, key);
            used(published);
            evict(directory, maxBytes, published);
            return new Options(List.of("-XX:SharedArchiveFile=" + published), false);
          }
          if (modified.isBefore(Instant.now().minus(DUMP_IN_PROGRESS))) {
            Files.deleteIfExists(temp);
          } else {
            dumping = true;
          }
        }
      }
      if (dumping) {
        return Options.NONE;
      }
      byte[] token = new byte[6];
      new SecureRandom().nextBytes(token);
      Path temp = directory.resolve(key + "." + HexFormat.of().formatHex(token) + ".tmp");
      // The dump's own notes (classes it skips) are not the plugin's business: only errors reach the log.
      return new Options(List.of("-XX:ArchiveClassesAtExit=" + temp, "-Xlog:cds=error:stderr",
          "-Xlog:cds+dynamic=error:stderr"), true);
    } catch (IOException | RuntimeException e) {
      return Options.NONE;
    }
  }

  /** Marks an archive as used now, for the least-recently-used order. */
  private static void used(Path archive) {
    try {
      Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.from(Instant.now()));
    } catch (IOException e) {
      // Only the order of eviction is at stake.
    }
  }

  /**
   * Deletes the least recently used archives until the directory's archives fit in {@code maxBytes}, sparing the
   * one just published and every one in use.
   *
   * @return the archives deleted
   */
  static List<Path> evict(Path directory, long maxBytes, Path spared) throws IOException {
    List<Path> archives = new java.util.ArrayList<>();
    long total = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.{jsa,tmp}")) {
      for (Path entry : entries) {
        try {
          total += Files.size(entry);
        } catch (java.nio.file.NoSuchFileException e) {
          continue;
        }
        if (entry.getFileName().toString().endsWith(".jsa") && !entry.equals(spared)) {
          archives.add(entry);
        }
      }
    }
    if (total <= maxBytes) {
      return List.of();
    }
    java.util.Map<Path, Instant> used = new java.util.HashMap<>();
    for (Path archive : List.copyOf(archives)) {
      try {
        used.put(archive, Files.getLastModifiedTime(archive).toInstant());
      } catch (java.nio.file.NoSuchFileException e) {
        archives.remove(archive);
      }
    }
    archives.sort(java.util.Comparator.comparing(used::get));
    java.util.Set<String> mapped = mappedArchives(directory);
    List<Path> deleted = new java.util.ArrayList<>();
    for (Path archive : archives) {
      if (total <= maxBytes) {
        break;
      }
      boolean inUse = mapped == null ? used.get(archive).isAfter(Instant.now().minus(RECENT_USE))
          : mapped.contains(archive.getFileName().toString());
      if (!inUse) {
        try {
          long size = Files.size(archive);
          if (Files.deleteIfExists(archive)) {
            total -= size;
            deleted.add(archive);
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // Evicted meanwhile by another build.
        }
      }
    }
    return deleted;
  }

  /**
   * The names of the directory's archives that some process maps, from {@code /proc/PID/maps} (of the processes
   * this user may read, which are the ones that can use this user's cache); {@code null} where there is no
   * {@code /proc}.
   */
  static java.util.Set<String> mappedArchives(Path directory) throws IOException {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc.resolve("self"))) {
      return null;
    }
    String prefix = directory.toRealPath() + "/";
    java.util.Set<String> mapped = new java.util.HashSet<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path process : processes) {
        try (java.util.stream.Stream<String> lines = Files.lines(process.resolve("maps"))) {
          lines.forEach(line -> {
            int at = line.indexOf(prefix);
            if (at >= 0 && line.endsWith(".jsa")) {
              mapped.add(line.substring(at + prefix.length()));
            }
          });
        } catch (IOException | java.io.UncheckedIOException e) {
          // Gone meanwhile, or another user's: not one of this cache's users.
        }
      }
    } catch (IOException e) {
      return null;
    }
    return mapped;
  }

  /** The archive for a key whose size and CRC-32C match its name; a damaged one is deleted. */
  private static Optional<Path> intactArchive(Path directory, String key) throws IOException {
    try (DirectoryStream<Path> archives = Files.newDirectoryStream(directory, key + "-*.jsa")) {
      for (Path archive : archives) {
        String name = archive.getFileName().toString();
        if (name.equals(archiveName(key, Files.size(archive), crc(archive)))) {
          return Optional.of(archive);
        }
        Files.deleteIfExists(archive);
      }
    }
    return Optional.empty();
  }

  /** Moves a complete temporary archive into place, atomically, named with its size and checksum. */
  static Path publish(Path temp, Path directory, String key) throws IOException {
    Path archive = directory.resolve(archiveName(key, Files.size(temp), crc(temp)));
    Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return archive;
  }

  private static String archiveName(String key, long size, long crc) {
    return key + "-" + Long.toHexString(size) + "-" + Long.toHexString(crc) + ".jsa";
  }

  private static long crc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return crc.getValue();
  }

  /** Whether a file starts with a dynamic archive's magic number (the JVM writes the header last). */
  static boolean isComplete(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(DYNAMIC_MAGIC.length);
      return java.util.Arrays.equals(head, DYNAMIC_MAGIC) && Files.size(file) > 4096;
    } catch (IOException e) {
      return false;
    }
  }

  static String key(Path java, List<String> jvmOptions, List<Path> classPath, String mainClass)
      throws IOException {
    StringBuilder text = new StringBuilder("cds-archive-1\n");
    Path launcher = java.toRealPath();
    text.append(launcher).append('\n');
    Path modules = launcher.getParent().getParent().resolve("lib").resolve("modules");
    text.append(describe(modules)).append('\n');
    for (Path entry : classPath) {
      Path absolute = entry.toAbsolutePath().normalize();
      if (!Files.isRegularFile(absolute)) {
        return null;
      }
      text.append(describe(absolute)).append('\n');
    }
    text.append(mainClass).append('\n').append(String.join("\u0000", jvmOptions)).append('\n');
    return Sha256.hex(text.toString()).substring(0, 32);
  }

  private static String describe(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return file + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
  }
}
