package dev.htmlize.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One plugin, ready to launch.
 *
 * @param name        how messages name it (for a jar: its artifactId)
 * @param command     the program and its arguments
 * @param properties  passed to its {@code Configure}
 * @param environment variables added to its environment
 * @param sha256      the executable's expected SHA-256, or {@code null}
 * @param fingerprint identifies what runs (for example the digests of its jars), so that a changed plugin
 *                    re-renders every page
 * @param autoMtls    whether to use go-plugin's AutoMTLS with it (for a plugin that listens on TCP)
 * @param allowPlaintextTcp whether it may listen on TCP without AutoMTLS, where any local user can connect to it
 * @param shutdownGrace how long it may take to exit after {@code Shutdown} before it is killed, when longer than the
 *                    runtime's default (a JVM that writes a class-data sharing archive at exit, say)
 * @param java        for a Java plugin built on htmlize's SDK: what it is made of, so that it can share a plugin JVM
 *                    or run in the build's JVM; empty for a plugin that runs as its {@code command} only
 */
public record PluginSpec(String name, List<String> command, Map<String, String> properties,
                         Map<String, String> environment, String sha256, String fingerprint, boolean autoMtls,
                         boolean allowPlaintextTcp, Optional<Duration> shutdownGrace, Optional<JavaPlugin> java) {
  public PluginSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    properties = Map.copyOf(properties);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(java, "java");
  }

  /** A plugin on a unix socket (or AutoMTLS-less TCP refused), with the runtime's shutdown grace, as most are. */
  public PluginSpec(String name, List<String> command, Map<String, String> properties,
                    Map<String, String> environment, String sha256, String fingerprint) {
    this(name, command, properties, environment, sha256, fingerprint, false, false, Optional.empty(), Optional.empty());
  }

  /** The same plugin with these transport choices. */
  public PluginSpec withTransport(boolean autoMtls, boolean allowPlaintextTcp) {
    return new PluginSpec(name, command, properties, environment, sha256, fingerprint, autoMtls, allowPlaintextTcp,
        shutdownGrace, java);
  }

  /** The same plugin with this shutdown grace (see {@link dev.htmlize.goplugin.host.JavaCommand#shutdownGrace()}). */
  public PluginSpec withShutdownGrace(Optional<Duration> grace) {
    return new PluginSpec(name, command, properties, environment, sha256, fingerprint, autoMtls, allowPlaintextTcp,
        grace, java);
  }

  /** The same plugin, loadable as this Java plugin (see {@link JavaPlugin}). */
  public PluginSpec withJava(JavaPlugin plugin) {
    return new PluginSpec(name, command, properties, environment, sha256, fingerprint, autoMtls, allowPlaintextTcp,
        shutdownGrace, Optional.of(plugin));
  }

  /** How it runs: {@link JavaPlugin.Mode#ISOLATED} for any plugin that is not a loadable Java plugin. */
  public JavaPlugin.Mode mode() {
    return java.map(JavaPlugin::mode).orElse(JavaPlugin.Mode.ISOLATED);
  }
}
