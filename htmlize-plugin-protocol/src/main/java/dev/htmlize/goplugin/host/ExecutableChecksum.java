package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** go-plugin's {@code SecureConfig}: the SHA-256 of the executable a command starts, checked before launch. */
public final class ExecutableChecksum {
  private ExecutableChecksum() {
  }

  static void verify(ClientConfig config) throws PluginStartException {
    Optional<String> expected = config.sha256();
    if (expected.isEmpty()) {
      return;
    }
    Path executable = resolve(config.name(), config.command(), config.environment(),
        config.workingDirectory().orElse(Path.of("")));
    String actual;
    try {
      actual = Sha256.hex(executable);
    } catch (IOException e) {
      throw new PluginStartException(config.name(), "cannot read " + executable + " to check its checksum: "
          + e.getMessage(), e);
    }
    if (!MessageDigest.isEqual(actual.getBytes(), expected.get().getBytes())) {
      throw new PluginStartException(config.name(), "the SHA-256 of " + executable + " did not match: expected " + expected.get() + ", found " + actual
          + ". The file has changed since the checksum was pinned; check where it came from before updating it.");
    }
  }

  /** The file a command's first word names: a path, or looked up on the plugin's PATH. */
  static Path resolve(String name, List<String> command, Map<String, String> environment, Path workingDirectory)
      throws PluginStartException {
    if (command.isEmpty()) {
      throw new PluginStartException(name, "no command to check");
    }
    String program = command.get(0);
    if (program.contains("/") || program.contains(java.io.File.separator)) {
      return workingDirectory.resolve(program).toAbsolutePath();
    }
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new PluginStartException(name, "cannot find " + program + " on the plugin's PATH to check its checksum");
  }
}
