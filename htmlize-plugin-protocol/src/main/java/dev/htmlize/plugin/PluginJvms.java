package dev.htmlize.plugin;

import dev.htmlize.goplugin.host.ClassDataSharing;
import dev.htmlize.goplugin.host.JavaCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How htmlize's hosts (the Maven plugin, the test kit) start a Java plugin: a {@link JavaCommand} on this JVM's
 * {@code java}, with the class-data sharing archives of {@link ClassDataSharing} cached where htmlize keeps them.
 */
public final class PluginJvms {
  /** System property naming the archives' directory; {@code none} (or empty) turns archives off. */
  public static final String CDS_DIRECTORY_PROPERTY = "htmlize.cds.directory";
  /**
   * System property capping the archives' total size: bytes, or with a {@code k}, {@code m} or {@code g} suffix
   * ({@code 512m}); default 256 MB.
   */
  public static final String CDS_MAX_SIZE_PROPERTY = "htmlize.cds.maxSize";

  private PluginJvms() {
  }

  /**
   * Where htmlize keeps class-data sharing archives: {@value #CDS_DIRECTORY_PROPERTY} if set ({@code none} turns
   * them off), else {@code $XDG_CACHE_HOME/htmlize/cds}, else {@code ~/.cache/htmlize/cds}.
   */
  public static Optional<Path> classDataDirectory() {
    String property = System.getProperty(CDS_DIRECTORY_PROPERTY);
    if (property != null) {
      return property.isBlank() || property.strip().equals("none") ? Optional.empty()
          : Optional.of(Path.of(property.strip()));
    }
    return Optional.of(cacheDirectory().resolve("cds"));
  }

  /** htmlize's per-user cache: {@code $XDG_CACHE_HOME/htmlize} when set (absolute), else {@code ~/.cache/htmlize}. */
  public static Path cacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("htmlize");
  }

  /**
   * The command of a Java plugin, its argument file written under {@code argFileDir}.
   *
   * @see JavaCommand#build
   */
  public static JavaCommand command(List<String> jvmOptions, List<Path> classPath, String mainClass,
                                    List<String> args, Path argFileDir) throws IOException {
    return JavaCommand.build(JavaCommand.currentJava(), jvmOptions, classPath, mainClass, args, argFileDir,
        classDataDirectory(), classDataMaxBytes());
  }

  /**
   * The cap on the archives' total size, from {@value #CDS_MAX_SIZE_PROPERTY}.
   *
   * @throws IllegalArgumentException naming the property, for a value that is no size
   */
  public static long classDataMaxBytes() {
    String value = System.getProperty(CDS_MAX_SIZE_PROPERTY);
    if (value == null || value.isBlank()) {
      return ClassDataSharing.DEFAULT_MAX_BYTES;
    }
    String size = value.strip().toLowerCase(java.util.Locale.ROOT);
    int shift = switch (size.charAt(size.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    try {
      long number = Long.parseLong(shift == 0 ? size : size.substring(0, size.length() - 1));
      if (number < 0 || number > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(CDS_MAX_SIZE_PROPERTY + " is a size in bytes, or with k, m or g (512m), "
          + "not " + value, e);
    }
  }
}
