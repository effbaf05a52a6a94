package dev.htmlize.engine;

import dev.htmlize.goplugin.host.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Plugin specs that run the sample plugins from this JVM's class path, as real processes. */
final class TestPlugins {
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
      List<String> command = JavaCommand.build(JavaCommand.currentJava(), jvmOptions, classPath, mainClass.getName(),
          List.of(arguments), Path.of("target", "argfiles").toAbsolutePath());
      return new PluginSpec(name, command, properties, Map.of(), null, mainClass.getName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PluginSpec tt() {
    return spec("htmlize-tt-plugin", dev.htmlize.samples.tt.TtPlugin.class, Map.of());
  }

  static PluginSpec narcissist() {
    return spec("htmlize-narcissist-plugin", dev.htmlize.samples.narcissist.NarcissistPlugin.class, Map.of());
  }
}
