package dev.htmlize.engine;

import java.time.Duration;

/**
 * What a render did.
 *
 * @param rendered pages rendered (their sources were new or changed, or the configuration or the site changed)
 * @param written  of those, pages whose file changed (the others already held the same bytes)
 * @param upToDate pages left alone
 * @param removed  pages deleted because their source is gone (or became a draft)
 * @param plugins  plugins started (none when there was nothing to render)
 * @param processes the processes they run in: Java plugins that share a plugin JVM count once, a plugin loaded in the
 *                 build's JVM not at all
 * @param reused   of those, processes an earlier module of the build started (see {@link PluginPool})
 * @param time     how long it took
 * @param assets   the files copied as they are
 * @param drafts   pages left out as drafts
 */
public record RenderSummary(int rendered, int written, int upToDate, int removed, int plugins, int processes,
                            int reused, Duration time,
                            Assets assets, int drafts) {
  /**
   * The assets of a build.
   *
   * @param count   assets in the site
   * @param copied  of those, copied in this build (new or changed)
   * @param removed copies removed because their asset is gone
   */
  public record Assets(int count, int copied, int removed) {
  }

  /** The one line a build ends with. */
  public String line() {
    String assetPart = assets.count() == 0 && assets.removed() == 0 ? ""
        : String.format("%d %s (%d copied, %d removed); ", assets.count(), assets.count() == 1 ? "asset" : "assets",
            assets.copied(), assets.removed());
    String draftPart = drafts == 0 ? "" : String.format("%d %s left out; ", drafts, drafts == 1 ? "draft" : "drafts");
    String processPart = plugins == 0 ? ""
        : String.format(", %d %s%s", processes, processes == 1 ? "process" : "processes",
            reused == 0 ? "" : reused == processes ? " (started by an earlier module)"
                : String.format(" (%d started by an earlier module)", reused));
    return String.format("htmlize: %d %s rendered (%d written), %d up to date, %d removed; %s%s%d %s%s; %.2f s",
        rendered, rendered == 1 ? "page" : "pages", written, upToDate, removed, assetPart, draftPart, plugins,
        plugins == 1 ? "plugin" : "plugins", processPart, time.toMillis() / 1000.0);
  }
}
