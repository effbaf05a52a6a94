package dev.htmlize.engine;

/**
 * Something wrong with a page or a plugin, reported as {@code path:line: message}.
 *
 * @param where   a source path relative to the source directory, or {@code plugin NAME}
 * @param line    the 1-based line, or 0 when there is none
 * @param message what is wrong and, where it helps, what to do
 */
public record Problem(String where, int line, String message) {
  @Override
  public String toString() {
    return line > 0 ? where + ":" + line + ": " + message : where + ": " + message;
  }
}
