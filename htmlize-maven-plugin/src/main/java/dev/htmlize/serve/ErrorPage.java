package dev.htmlize.serve;

import dev.htmlize.engine.Problem;
import java.util.List;

/** What the preview serves for a page that cannot be rendered, or that is not there: the problems, as a page. */
final class ErrorPage {
  private ErrorPage() {
  }

  /** The page of a source with problems; the site's own problems (a plugin's) after them. */
  static String of(String page, List<Problem> problems, List<Problem> siteProblems) {
    StringBuilder html = start("htmlize: " + page + " cannot be rendered");
    html.append("<h1>").append(escape(page)).append(" cannot be rendered</h1>\n<ul class=\"problems\">\n");
    problems.forEach(problem -> html.append("<li><code>").append(escape(problem.toString())).append("</code></li>\n"));
    html.append("</ul>\n");
    site(html, siteProblems);
    return end(html, page);
  }

  /** A page that is not there. */
  static String notFound(String page, List<Problem> siteProblems) {
    StringBuilder html = start("htmlize: no " + page);
    html.append("<h1>No ").append(escape(page)).append("</h1>\n<p>The site has no such page or file.</p>\n");
    site(html, siteProblems);
    return end(html, page);
  }

  private static void site(StringBuilder html, List<Problem> siteProblems) {
    if (siteProblems != null && !siteProblems.isEmpty()) {
      html.append("<h2>The site's problems</h2>\n<ul class=\"problems\">\n");
      siteProblems.forEach(p -> html.append("<li><code>").append(escape(p.toString())).append("</code></li>\n"));
      html.append("</ul>\n");
    }
  }

  private static StringBuilder start(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title)).append("</title>\n<style>body { font-family: system-ui, sans-serif; max-width: 50rem; "
            + "margin: 2rem auto; padding: 0 1rem; } .problems code { white-space: pre-wrap; color: #a40e26; }"
            + "</style>\n</head>\n<body>\n");
  }

  private static String end(StringBuilder html, String page) {
    html.append("<p>htmlize:serve shows this page again when its source is fixed.</p>\n</body>\n</html>\n");
    return PreviewServer.withReloadScript(html.toString(), page);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
