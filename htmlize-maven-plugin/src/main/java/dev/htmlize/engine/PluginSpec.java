package dev.htmlize.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 */
public record PluginSpec(String name, List<String> command, Map<String, String> properties,
                         Map<String, String> environment, String sha256, String fingerprint, boolean autoMtls,
                         boolean allowPlaintextTcp) {
  public PluginSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    properties = Map.copyOf(properties);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** A plugin on a unix socket (or AutoMTLS-less TCP refused), as most are. */
  public PluginSpec(String name, List<String> command, Map<String, String> properties,
                    Map<String, String> environment, String sha256, String fingerprint) {
    this(name, command, properties, environment, sha256, fingerprint, false, false);
  }
}
