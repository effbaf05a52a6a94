package dev.htmlize.engine;

/**
 * What is wrong with a source, at a 1-based line: bytes that are not valid in its encoding, front matter that does
 * not read. The engine reports it as {@code path:line: message}.
 */
final class SourceLineException extends Exception {
  private final int line;

  SourceLineException(String message, int line) {
    super(message);
    this.line = line;
  }

  int line() {
    return line;
  }
}
