package dev.htmlize.engine;

import java.time.Duration;

/**
 * What a render did.
 *
 * @param rendered pages rendered (their sources were new or changed, or the configuration changed)
 * @param written  of those, pages whose file changed (the others already held the same bytes)
 * @param upToDate pages left alone
 * @param removed  pages deleted because their source is gone
 * @param plugins  plugins started (none when there was nothing to render)
 * @param time     how long it took
 */
public record RenderSummary(int rendered, int written, int upToDate, int removed, int plugins, Duration time) {
  /** The one line a build ends with. */
  public String line() {
    return String.format("htmlize: %d %s rendered (%d written), %d up to date, %d removed; %d %s; %.2f s",
        rendered, rendered == 1 ? "page" : "pages", written, upToDate, removed, plugins,
        plugins == 1 ? "plugin" : "plugins", time.toMillis() / 1000.0);
  }
}
