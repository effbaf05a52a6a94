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
 */
public record PluginSpec(String name, List<String> command, Map<String, String> properties,
                         Map<String, String> environment, String sha256, String fingerprint) {
  public PluginSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    properties = Map.copyOf(properties);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
