package dev.htmlize.engine;

import java.util.Map;
import java.util.TreeMap;

/** The environment a plugin gets: minimal by default, so that the build's secrets stay in the build. */
final class PluginEnvironment {
  private static final java.util.Set<String> KEPT = java.util.Set.of(
      "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "JAVA_HOME",
      "SYSTEMROOT", "PATHEXT");

  private PluginEnvironment() {
  }

  static Map<String, String> of(RenderRequest request, PluginSpec spec) {
    Map<String, String> env = new TreeMap<>();
    request.hostEnvironment().forEach((key, value) -> {
      if (request.inheritEnvironment() || KEPT.contains(key) || key.startsWith("LC_")) {
        env.put(key, value);
      }
    });
    env.putAll(spec.environment());
    return env;
  }
}
