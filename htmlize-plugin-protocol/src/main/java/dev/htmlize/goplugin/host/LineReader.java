package dev.htmlize.goplugin.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines as go-plugin's host does: at {@code \n}, dropping a {@code \r} before it, decoding
 * UTF-8 with replacement characters for bad bytes. A line longer than the limit is handed over in fragments, so a
 * plugin that never writes a newline cannot make the host buffer without bound.
 */
final class LineReader {
  /** Receives lines. */
  interface Sink {
    /**
     * @param line     the text, without its terminator
     * @param fragment {@code true} when this is a piece of a line longer than the limit
     */
    void line(String line, boolean fragment);
  }

  /** go-plugin's default (and 1.0.1's fixed) log buffer size. */
  static final int DEFAULT_LIMIT = 64 * 1024;

  private LineReader() {
  }

  /** Reads until end of stream. */
  static void read(InputStream in, int limit, Sink sink) throws IOException {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int n;
    while ((n = in.read(buffer)) != -1) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          line.write(buffer, start, i - start);
          emit(line, false, sink);
          start = i + 1;
        } else if (line.size() + (i - start + 1) >= limit) {
          line.write(buffer, start, i - start + 1);
          emit(line, true, sink);
          start = i + 1;
        }
      }
      line.write(buffer, start, n - start);
    }
    if (line.size() > 0) {
      emit(line, false, sink);
    }
  }

  private static void emit(ByteArrayOutputStream line, boolean fragment, Sink sink) {
    byte[] bytes = line.toByteArray();
    line.reset();
    int length = bytes.length;
    if (!fragment && length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    sink.line(new String(bytes, 0, length, StandardCharsets.UTF_8), fragment);
  }
}
