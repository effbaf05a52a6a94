package dev.htmlize.engine;

import dev.htmlize.engine.PluginEndpoint.Answer;
import dev.htmlize.engine.PluginEndpoint.ContentsCall;
import dev.htmlize.engine.PluginEndpoint.RolesCall;
import dev.htmlize.plugin.RoleOccurrence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page's way from markup to its file, for a batch of pages at a time: its parsed document (from the site model, or
 * parsed now) → its roles, each plugin called once for the whole batch → the body → the contents hooks, once per
 * plugin for the batch, in declaration order → its layout ({@link Layouts}), which sees the whole site → the
 * {@link OutputWriter}, and the {@link LinkCheck}. Batches render in parallel on
 * {@code threads} threads. A page that fails is a problem at its line, and the other pages of its batch go on.
 */
final class PageRenderer {
  private final RenderRequest request;
  private final SourceReader reader;
  private final SiteModel site;
  private final PluginManager plugins;
  private final Layouts layouts;
  private final TemplateSite templateSite;
  private final LinkCheck links;
  private final OutputWriter output;
  private final EngineLog log;
  private final Problems problems;

  /**
   * @param templateSite the site as layouts see it
   * @param links        where each page written goes for the link check
   */
  PageRenderer(RenderRequest request, SourceReader reader, SiteModel site, PluginManager plugins, Layouts layouts,
               TemplateSite templateSite, LinkCheck links, OutputWriter output, EngineLog log, Problems problems) {
    this.request = request;
    this.reader = reader;
    this.site = site;
    this.plugins = plugins;
    this.layouts = layouts;
    this.templateSite = templateSite;
    this.links = links;
    this.output = output;
    this.log = log;
    this.problems = problems;
  }

  /**
   * Renders and writes the pages, batch by batch, and puts the record of each page written in {@code next}.
   *
   * @throws InterruptedException if the build was interrupted; the batches still rendering are cancelled
   */
  void renderAll(List<IncrementalPlan.Page> pages, Map<String, BuildState.Page> next) throws InterruptedException {
    List<List<IncrementalPlan.Page>> batches = BatchPolicy.batches(pages, IncrementalPlan.Page::size,
        request.threads());
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(100, pages.size() / 4);
    List<List<Optional<BuildState.Page>>> results = Parallel.map(batches, request.threads(), "htmlize-render",
        batch -> {
          List<Optional<BuildState.Page>> written = render(batch);
          int before = done.getAndAdd(batch.size());
          int count = before + batch.size();
          if (pages.size() >= 200 && count / step > before / step && count < pages.size()) {
            log.info("htmlize: rendered " + count + " of " + pages.size() + " pages");
          }
          return written;
        }, (batch, failure) -> {
          String message = failure instanceof OutOfMemoryError
              ? "the page does not fit in the build's memory (" + failure + "); give Maven more heap "
                  + "(MAVEN_OPTS=-Xmx2g, say) or render fewer pages at once (threads)"
              : "internal error: " + failure;
          batch.forEach(page -> problems.add(new Problem(page.source(), 0, message)));
          return Collections.nCopies(batch.size(), Optional.empty());
        });
    for (int b = 0; b < batches.size(); b++) {
      List<IncrementalPlan.Page> batch = batches.get(b);
      for (int i = 0; i < batch.size(); i++) {
        String source = batch.get(i).source();
        results.get(b).get(i).ifPresent(record -> next.put(source, record));
      }
    }
  }

  /** Renders and writes a batch of pages; one result per page, in order, empty for a page that failed. */
  private List<Optional<BuildState.Page>> render(List<IncrementalPlan.Page> batch) {
    List<Optional<BuildState.Page>> results = new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty()));
    // 1. Each page's document, and its roles, each known to some plugin.
    List<Integer> live = new ArrayList<>();
    List<ParsedPage> parsed = new ArrayList<>(Collections.nCopies(batch.size(), null));
    List<RolesCall> roleCalls = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IncrementalPlan.Page page = batch.get(i);
      Optional<ParsedPage> document = site.take(page.source())
          .or(() -> reader.parse(page.source(), page.output(), page.bytes()));
      if (document.isEmpty() || unknownRolesFail(page.source(), document.get().document().roles())) {
        continue;
      }
      live.add(i);
      parsed.set(i, document.get());
      roleCalls.add(new RolesCall(document.get().post(), document.get().document().roles()));
    }
    // 2. Roles: one call per plugin for the whole batch; then each page's body.
    List<Answer<List<String>>> roleHtml = plugins.resolveRoles(roleCalls);
    List<Integer> rendered = new ArrayList<>();
    List<ContentsCall> contentsCalls = new ArrayList<>();
    for (int k = 0; k < live.size(); k++) {
      int i = live.get(k);
      ParsedPage page = parsed.get(i);
      Answer<List<String>> answer = roleHtml.get(k);
      if (!answer.ok()) {
        problems.add(pluginProblem(page, answer.failure()));
        continue;
      }
      String body;
      try {
        body = page.document().render(answer.value());
      } catch (RuntimeException | StackOverflowError e) {
        problems.add(new Problem(page.source(), 0, "internal error: " + e));
        continue;
      }
      rendered.add(i);
      contentsCalls.add(new ContentsCall(page.post(), body));
    }
    // 3. Contents hooks, one call per plugin for the whole batch; then the layout, and the file.
    List<Answer<String>> bodies = plugins.processContents(contentsCalls);
    for (int k = 0; k < rendered.size(); k++) {
      int i = rendered.get(k);
      ParsedPage page = parsed.get(i);
      Answer<String> body = bodies.get(k);
      if (!body.ok()) {
        problems.add(pluginProblem(page, body.failure()));
        continue;
      }
      Optional<LayoutRenderer> layout = layouts.of(page, problems);
      if (layout.isEmpty()) {
        continue;
      }
      String html;
      try {
        html = layout.get().apply(body.value(), page.post(), templateSite, request.language());
      } catch (com.github.mustachejava.MustacheException e) {
        problems.add(new Problem(page.source(), page.lineOf(PageMetadata.LAYOUT), "the layout failed: "
            + e.getMessage()));
        continue;
      } catch (RuntimeException | StackOverflowError e) {
        problems.add(new Problem(page.source(), 0, "internal error: " + e));
        continue;
      }
      Optional<BuildState.Page> written = output.write(batch.get(i), page, html);
      if (written.isPresent()) {
        links.add(page.source(), page.post().outputPath(), html);
      }
      results.set(i, written);
    }
    return results;
  }

  /** Reports roles no plugin registers; whether that fails the page (failOnUnknownRole). */
  private boolean unknownRolesFail(String source, List<RoleOccurrence> roles) {
    boolean fails = false;
    for (RoleOccurrence role : roles) {
      if (!plugins.handles(role.role())) {
        String message = "unknown role :" + role.role() + ": (no plugin registers role:" + role.role()
            + "); left as written";
        if (request.failOnUnknownRole()) {
          problems.add(new Problem(source, role.line(), message));
          fails = true;
        } else {
          log.warn(source + ":" + role.line() + ": " + message);
        }
      }
    }
    return fails;
  }

  /** A plugin's failure on a page, at the occurrence it named, else at the page's first role. */
  private static Problem pluginProblem(ParsedPage page, PluginCallException e) {
    List<RoleOccurrence> roles = page.document().roles();
    return e.failure().onPage(page.source(), roles.isEmpty() ? 0 : roles.get(0).line());
  }
}
