package dev.htmlize.engine;

import dev.htmlize.goplugin.host.JavaCommand;
import dev.htmlize.plugin.PluginJvms;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Plugin specs that run the sample plugins from this JVM's class path (or as built, for Python), as processes. */
final class TestPlugins {
  /** The Python sample plugin, as its module builds it. */
  static final Path ABBR = Path.of("../sample-plugins/htmlize-abbr-plugin/target/plugin/abbr_plugin.py")
      .toAbsolutePath().normalize();
  /** The Python sample plugin that highlights code with Pygments, as its module builds it. */
  static final Path PYGMENTS = Path.of("../sample-plugins/htmlize-pygments-plugin/target/plugin/pygments_plugin.py")
      .toAbsolutePath().normalize();
  private TestPlugins() {
  }

  static PluginSpec spec(String name, Class<?> mainClass, Map<String, String> properties, String... arguments) {
    return spec(name, mainClass, properties, List.of(), arguments);
  }

  /** As {@link #spec(String, Class, Map, String...)}, with options for the plugin's JVM. */
  static PluginSpec spec(String name, Class<?> mainClass, Map<String, String> properties, List<String> jvmOptions,
                         String... arguments) {
    try {
      List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .map(Path::of).toList();
      JavaCommand command = PluginJvms.command(jvmOptions, classPath, mainClass.getName(), List.of(arguments),
          Path.of("target", "argfiles").toAbsolutePath());
      return new PluginSpec(name, command.command(), properties, Map.of(), null, mainClass.getName())
          .withShutdownGrace(command.shutdownGrace());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As {@link #spec(String, Class, Map, List, String...)}, loadable as a Java plugin run this way: from the code
   * location of its main class (a sample plugin's jar, or the test classes), with this JVM's class path as the SDK's.
   */
  static PluginSpec java(String name, Class<?> mainClass, Map<String, String> properties, JavaPlugin.Mode mode,
                         List<String> jvmOptions, String... arguments) {
    try {
      Path location = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
      return spec(name, mainClass, properties, jvmOptions, arguments).withJava(new JavaPlugin(mode,
          List.of(location), mainClass.getName(), List.of(arguments), jvmOptions, classPath()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
  }

  static PluginSpec tt() {
    return spec("htmlize-tt-plugin", dev.htmlize.samples.tt.TtPlugin.class, Map.of());
  }

  static PluginSpec narcissist() {
    return spec("htmlize-narcissist-plugin", dev.htmlize.samples.narcissist.NarcissistPlugin.class, Map.of());
  }

  /**
   * The Python sample plugin with these properties; a test that needs it is skipped where it is not built, or fails
   * when cross-language tests are required.
   */
  static PluginSpec abbr(Map<String, String> properties) {
    if (!Files.isExecutable(ABBR)) {
      String message = ABBR + " is not built: it needs Debian's protobuf-compiler-grpc and python3-grpcio "
          + "(dev/install-test-deps installs them)";
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return new PluginSpec("abbr", List.of(ABBR.toString()), properties, Map.of(), null, "abbr");
  }

  /**
   * The Python sample plugin that highlights code, with these properties; a test that needs it is skipped where it is
   * not built, or fails when cross-language tests are required.
   */
  static PluginSpec pygments(Map<String, String> properties) {
    if (!Files.isExecutable(PYGMENTS)) {
      String message = PYGMENTS + " is not built: it needs Debian's protobuf-compiler-grpc, python3-grpcio and "
          + "python3-pygments (dev/install-test-deps installs them)";
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return new PluginSpec("pygments", List.of(PYGMENTS.toString()), properties, Map.of(), null, "pygments");
  }
}
