package dev.htmlize.engine;

import dev.htmlize.goplugin.host.LogEntry;
import dev.htmlize.goplugin.host.PluginLogger;
import dev.htmlize.goplugin.host.StdioSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plugin's logs and output in the build log, each line prefixed with the plugin's name. hclog lines keep their
 * level (trace shows as debug); plain stderr lines, which go-plugin logs at debug, show at info: a build user should
 * see what a plugin says. In a plugin JVM shared by several plugins, a line of one of them (its {@code @module})
 * shows under its name, others under the names of all.
 */
final class PluginLogBridge implements PluginLogger, StdioSink {
  private final String prefix;
  private final EngineLog log;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  /** The plugins whose lines, in a shared JVM, name them in {@code @module}; empty for a plugin of its own. */
  private final List<String> members;

  PluginLogBridge(String name, EngineLog log) {
    this(name, List.of(), log);
  }

  PluginLogBridge(String name, List<String> members, EngineLog log) {
    this.prefix = "[" + name + "] ";
    this.members = List.copyOf(members);
    this.log = log;
  }

  @Override
  public void log(LogEntry entry) {
    String module = entry.fields().get("@module");
    String text;
    if (module != null && members.contains(module)) {
      Map<String, String> fields = new HashMap<>(entry.fields());
      fields.remove("@module");
      text = "[" + module + "] " + new LogEntry(entry.level(), entry.message(), fields, entry.structured()).render();
    } else {
      text = prefix + entry.render();
    }
    switch (entry.level()) {
      case ERROR -> log.error(text);
      case WARN -> log.warn(text);
      case INFO -> log.info(text);
      default -> {
        if (entry.structured() || "host".equals(entry.fields().get("source"))
            || "stdout".equals(entry.fields().get("stream"))) {
          log.debug(text);
        } else {
          log.info(text);
        }
      }
    }
  }

  @Override
  public void stdout(byte[] data) {
    lines(stdout, data, false);
  }

  @Override
  public void stderr(byte[] data) {
    lines(stderr, data, true);
  }

  private void lines(ByteArrayOutputStream buffer, byte[] data, boolean isError) {
    synchronized (buffer) {
      for (byte b : data) {
        if (b == '\n') {
          String line = buffer.toString(StandardCharsets.UTF_8);
          buffer.reset();
          if (isError) {
            log.warn(prefix + line);
          } else {
            log.info(prefix + line);
          }
        } else {
          buffer.write(b);
        }
      }
    }
  }
}
