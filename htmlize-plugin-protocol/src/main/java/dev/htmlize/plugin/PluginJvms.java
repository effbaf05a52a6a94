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
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return Optional.of(cache.resolve("htmlize").resolve("cds"));
  }

  /**
   * The command of a Java plugin, its argument file written under {@code argFileDir}.
   *
   * @see JavaCommand#build
   */
  public static JavaCommand command(List<String> jvmOptions, List<Path> classPath, String mainClass,
                                    List<String> args, Path argFileDir) throws IOException {
    return JavaCommand.build(JavaCommand.currentJava(), jvmOptions, classPath, mainClass, args, argFileDir,
        classDataDirectory());
  }
}
