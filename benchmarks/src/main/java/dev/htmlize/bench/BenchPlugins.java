package dev.htmlize.bench;

import dev.htmlize.engine.JavaPlugin;
import dev.htmlize.engine.PluginLauncher;
import dev.htmlize.engine.PluginSpec;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.JavaCommand;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.samples.issue.IssuePlugin;
import dev.htmlize.samples.narcissist.NarcissistPlugin;
import dev.htmlize.samples.toc.TocPlugin;
import dev.htmlize.samples.tt.TtPlugin;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sample plugins as a build runs them: {@code java @argfile Main} on this JVM's class path (jars only, as
 * resolved from a repository), with the small-JVM options and class-data sharing archives of {@link JavaCommand}.
 */
public final class BenchPlugins {
  /** The sample plugins of the site benchmark, in declaration order. */
  public static final List<Class<? extends Htmlizer>> SAMPLES =
      List.of(TtPlugin.class, IssuePlugin.class, TocPlugin.class, NarcissistPlugin.class);

  private BenchPlugins() {
  }

  /** Where this run keeps its CDS archives: under the build directory, so that "cold" is really cold. */
  public static Optional<Path> cdsDirectory(boolean enabled) {
    return enabled ? Optional.of(Path.of(System.getProperty("htmlize.bench.work", "target/bench-work"))
        .toAbsolutePath().resolve("cds")) : Optional.empty();
  }

  /** This JVM's class path, jars only. */
  public static List<Path> jars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar")).map(Path::of).filter(Files::isRegularFile).toList();
  }

  public static JavaCommand command(Class<?> mainClass, Optional<Path> cds) {
    try {
      Path argFiles = Path.of(System.getProperty("htmlize.bench.work", "target/bench-work")).toAbsolutePath()
          .resolve("argfiles");
      return JavaCommand.build(JavaCommand.currentJava(), jvmOptions(), jars(), mainClass.getName(), List.of(),
          argFiles, cds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * JVM options for the plugin processes after the default ones, from {@code -Dhtmlize.bench.pluginJvmOptions}
   * (space-separated), to try other settings; none by default.
   */
  static List<String> jvmOptions() {
    String options = System.getProperty("htmlize.bench.pluginJvmOptions", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  public static String name(Class<?> plugin) {
    return plugin.getSimpleName().replace("Plugin", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** The engine's spec for a sample plugin, as a build makes it: in the plugin JVM the Java plugins share. */
  public static PluginSpec spec(Class<? extends Htmlizer> plugin, Optional<Path> cds) {
    return spec(plugin, cds, JavaPlugin.Mode.SHARED);
  }

  /**
   * The engine's spec for a sample plugin run this way: its jar (the code location of its class) on the SDK's class
   * path, which is this JVM's jars.
   */
  public static PluginSpec spec(Class<? extends Htmlizer> plugin, Optional<Path> cds, JavaPlugin.Mode mode) {
    Map<String, String> properties = plugin == IssuePlugin.class
        ? Map.of("baseUrl", "https://issues.example/") : Map.of();
    JavaCommand command = command(plugin, cds);
    Path jar;
    try {
      jar = Path.of(plugin.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new PluginSpec(name(plugin), command.command(), properties, Map.of(), null, plugin.getName())
        .withShutdownGrace(command.shutdownGrace())
        .withJava(new JavaPlugin(mode, List.of(jar), plugin.getName(), List.of(), jvmOptions(), jars()));
  }

  /** The same plugin classes, called in this JVM. */
  public static PluginLauncher inProcess() {
    return PluginLauncher.inProcess(spec -> {
      for (Class<? extends Htmlizer> plugin : SAMPLES) {
        if (name(plugin).equals(spec.name())) {
          try {
            return plugin.getDeclaredConstructor().newInstance();
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return null;
    });
  }

  /** A host configuration for one plugin, over a unix socket or loopback TCP. */
  public static ClientConfig client(Class<?> plugin, Network network, Optional<Path> cds) {
    ClientConfig.Builder builder = ClientConfig.builder(name(plugin), HtmlizeProtocol.HANDSHAKE)
        .protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
        .command(command(plugin, cds).command())
        .network(network)
        .logger(dev.htmlize.goplugin.host.PluginLogger.DISCARD)
        .shutdownGrace(java.time.Duration.ofSeconds(10));
    if (network == Network.TCP) {
      builder.allowPlaintextTcp(true);
    }
    return builder.build();
  }

}
