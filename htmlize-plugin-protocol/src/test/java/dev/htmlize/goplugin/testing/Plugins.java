package dev.htmlize.goplugin.testing;

import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.plugin.PluginJvms;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Client configurations for the test plugins. */
public final class Plugins {
  private Plugins() {
  }

  /** The class path of this JVM, which holds the test plugin's classes. */
  public static String testClassPath() {
    return System.getProperty("java.class.path");
  }

  /** The command that runs {@link EchoPlugin} on a small JVM with clean stdout. */
  public static List<String> echoCommand(String classPath, List<String> jvmOptions, String... args) {
    try {
      return PluginJvms.command(jvmOptions, Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).toList(),
          EchoPlugin.class.getName(), List.of(args), Path.of("target", "argfiles").toAbsolutePath()).command();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client configuration for the echo plugin. */
  public static ClientConfig.Builder echo(String classPath, String... args) {
    return ClientConfig.builder("echo", EchoPlugin.HANDSHAKE).command(echoCommand(classPath, List.of(), args));
  }
}
