package dev.htmlize.serve;

/**
 * The script the preview adds to each page as served: it listens to the server's events and reloads the page when
 * the page, or everything ({@code *}), changed; if the server goes away and comes back, it reloads too.
 */
final class ReloadScript {
  private ReloadScript() {
  }

  /** The script for a page, by its path in the output directory. */
  static String forPage(String page) {
    String quoted = page.replace("\\", "\\\\").replace("\"", "\\\"").replace("<", "\\u003c");
    return "<script>(function () {\n"
        + "  var page = \"" + quoted + "\", source = new EventSource(\"" + PreviewServer.EVENTS + "\"), lost = false;\n"
        + "  source.onmessage = function (event) {\n"
        + "    if (event.data === \"*\" || event.data === page) { location.reload(); }\n"
        + "  };\n"
        + "  source.onerror = function () { lost = true; };\n"
        + "  window.htmlizePreview = source;\n"
        + "  source.onopen = function () { if (lost) { location.reload(); } };\n"
        + "})();</script>\n";
  }
}
