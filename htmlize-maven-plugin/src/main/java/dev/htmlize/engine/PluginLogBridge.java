package dev.htmlize.engine;

import dev.htmlize.goplugin.host.LogEntry;
import dev.htmlize.goplugin.host.PluginLogger;
import dev.htmlize.goplugin.host.StdioSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A plugin's logs and output in the build log, each line prefixed with the plugin's name. hclog lines keep their
 * level (trace shows as debug); plain stderr lines, which go-plugin logs at debug, show at info: a build user should
 * see what a plugin says.
 */
final class PluginLogBridge implements PluginLogger, StdioSink {
  private final String prefix;
  private final EngineLog log;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  PluginLogBridge(String name, EngineLog log) {
    this.prefix = "[" + name + "] ";
    this.log = log;
  }

  @Override
  public void log(LogEntry entry) {
    String text = prefix + entry.render();
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
