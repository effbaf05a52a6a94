package dev.htmlize.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a Java plugin built on htmlize's SDK is made of, so that it can be loaded rather than launched: in the plugin
 * JVM that the Java plugins of a build share, or in the build's own JVM.
 *
 * @param mode         where it runs
 * @param classPath    its jar first, then its runtime dependencies
 * @param mainClass    the class whose {@code main} calls {@code HtmlizerPlugin.serve}
 * @param arguments    {@code main}'s arguments
 * @param jvmOptions   the options of its JVM (plugins with different options do not share one)
 * @param sdkClassPath the SDK and its dependencies, the class path of a shared plugin JVM
 */
public record JavaPlugin(Mode mode, List<Path> classPath, String mainClass, List<String> arguments,
                         List<String> jvmOptions, List<Path> sdkClassPath) {
  /** Where a Java plugin runs. */
  public enum Mode {
    /** In one plugin JVM with the other Java plugins of the build that can share it (the default). */
    SHARED,
    /** In a JVM of its own. */
    ISOLATED,
    /** In the build's JVM, called directly: no process, no gRPC, and no isolation from the build. */
    IN_PROCESS
  }

  public JavaPlugin {
    Objects.requireNonNull(mode, "mode");
    classPath = List.copyOf(classPath);
    Objects.requireNonNull(mainClass, "mainClass");
    arguments = List.copyOf(arguments);
    jvmOptions = List.copyOf(jvmOptions);
    sdkClassPath = List.copyOf(sdkClassPath);
  }

  /** The same plugin, run this way. */
  public JavaPlugin in(Mode other) {
    return new JavaPlugin(other, classPath, mainClass, arguments, jvmOptions, sdkClassPath);
  }
}
