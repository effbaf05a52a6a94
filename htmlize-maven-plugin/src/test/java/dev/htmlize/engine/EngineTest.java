package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.engine.testplugins.BadHooksPlugin;
import dev.htmlize.engine.testplugins.CallCountPlugin;
import dev.htmlize.engine.testplugins.ShoutPlugin;
import dev.htmlize.engine.testplugins.WrongCountPlugin;
import dev.htmlize.samples.issue.IssuePlugin;
import dev.htmlize.samples.toc.TocPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine end to end, with real plugin processes. */
class EngineTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private RenderRequest.Builder request() {
    return site.request().layout(new Layout.Default());
  }

  @Test
  void rendersMarkdownWithFrontMatterThroughPluginsIntoTheDefaultLayout() throws Exception {
    site.write("docs/guide.md", """
        ---
        title: The "guide"
        author: Ann
        date: 2024-01-02
        tags: [a, b]
        ---
        # Guide

        <!-- toc -->

        ## Install

        Run :tt:`make <all>` (see :issue:`42`).
        """);

    RenderSummary summary = site.render(request().plugin(TestPlugins.tt())
        .plugin(TestPlugins.spec("htmlize-issue-plugin", IssuePlugin.class, Map.of("baseUrl", "https://t.example/i/")))
        .plugin(TestPlugins.spec("htmlize-toc-plugin", TocPlugin.class, Map.of())));

    assertThat(summary.rendered()).isEqualTo(1);
    assertThat(summary.plugins()).isEqualTo(3);
    Document page = Jsoup.parse(site.page("docs/guide.html"));
    page.outputSettings().prettyPrint(false);
    assertThat(page.selectFirst("html").attr("lang")).isEqualTo("en");
    assertThat(page.title()).isEqualTo("The \"guide\"");
    assertThat(page.selectFirst("meta[name=author]").attr("content")).isEqualTo("Ann");
    assertThat(page.selectFirst("link[rel=stylesheet]").attr("href")).isEqualTo("../htmlize.css");
    assertThat(page.selectFirst("main article").html()).as("the body as rendered, in the article").isEqualTo("""

        <h1 id="guide">Guide</h1>
        <nav class="toc">
        <ul>
        <li><a href="#install">Install</a></li>
        </ul>
        </nav>
        <h2 id="install">Install</h2>
        <p>Run <tt>make &lt;all&gt;</tt> (see <a class="issue" href="https://t.example/i/42">#42</a>).</p>
        """);
    assertThat(page.select("footer .page-meta li").eachText()).containsExactly("Ann", "2024-01-02", "a", "b");
    assertThat(page.selectFirst("footer time").attr("datetime")).isEqualTo("2024-01-02");
    assertThat(page.select(".site-nav a[aria-current]").eachText()).containsExactly("docs");
    assertThat(page.select(".section-nav a[aria-current=page]").eachText()).containsExactly("The \"guide\"");
    assertThat(site.out.resolve("htmlize.css")).hasSameBinaryContentAs(
        Path.of("src/main/resources/dev/htmlize/engine/htmlize.css"));
  }

  @Test
  void takesTheTitleFromFrontMatterThenTheFirstHeadingThenTheFileName() throws Exception {
    site.write("a.md", "---\ntitle: From front matter\n---\n# Heading\n");
    site.write("b.md", "Text\n\n# From heading\n");
    site.write("c-file.md", "no heading\n");

    site.render(request());

    assertThat(site.page("a.html")).contains("<title>From front matter</title>");
    assertThat(site.page("b.html")).contains("<title>From heading</title>");
    assertThat(site.page("c-file.html")).contains("<title>c-file</title>");
  }

  @Test
  void warnsOfAnUnknownRoleWithPathAndLineAndLeavesItAsWritten() throws Exception {
    site.write("p.md", "---\ntitle: t\n---\n\nUse :nope:`x` here.\n");

    site.render(request().layout(new Layout.None()));

    assertThat(site.log.warn).contains("p.md:5: unknown role :nope: (no plugin registers role:nope); left as written");
    assertThat(site.page("p.html")).isEqualTo("<p>Use :nope:`x` here.</p>\n");
  }

  @Test
  void failsOnAnUnknownRoleWhenAskedAndWritesNothing() throws Exception {
    site.write("p.txt", "one\n\ntwo :nope:`x`\n");

    assertThatThrownBy(() -> site.render(request().failOnUnknownRole(true)))
        .isInstanceOf(RenderException.class)
        .hasMessage("p.txt:3: unknown role :nope: (no plugin registers role:nope); left as written");
    assertThat(site.out.resolve("p.html")).doesNotExist();
  }

  @Test
  void collectsEveryBadInputWithItsPlaceAndStillRendersTheGoodPages() throws Exception {
    site.write("good.md", "fine\n");
    site.write("front.md", "---\ntitle: [unclosed\n---\nbody\n");
    site.write("open.md", "---\ntitle: x\nbody without end\n");
    Files.write(site.src.resolve("latin1.md"), "line one\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(site.src.resolve("binary.md"), new byte[] {'a', 0, 1, 2});

    assertThatThrownBy(() -> site.render(request()))
        .isInstanceOf(RenderException.class)
        .satisfies(e -> assertThat(((RenderException) e).problems()).extracting(Problem::toString).containsExactly(
            "binary.md: looks like a binary file (it has NUL bytes), not markup; exclude it",
            "front.md:3: invalid front matter: expected ',' or ']', but got <stream end>",
            "latin1.md:2: bytes that are not valid UTF-8 at byte offset 12 (0xe9); save the file as UTF-8 or set the "
                + "encoding parameter",
            "open.md:1: front matter starts with --- on line 1 but has no closing --- line"));
    assertThat(site.out.resolve("good.html")).exists();
    assertThat(site.log.error).hasSize(4);
  }

  @Test
  void readsOtherEncodingsWhenAsked() throws Exception {
    Files.write(site.src.resolve("latin1.md"), "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    site.render(request().encoding(StandardCharsets.ISO_8859_1).layout(new Layout.None()));

    assertThat(site.page("latin1.html")).isEqualTo("<p>café</p>\n");
  }

  @Test
  void dropsTheByteOrderMarkAndReadsCrLfLines() throws Exception {
    Files.write(site.src.resolve("win.md"), "\uFEFF---\r\ntitle: Win\r\n---\r\nline\r\n\r\n:tt:`x`\r\n"
        .getBytes(StandardCharsets.UTF_8));

    site.render(request().plugin(TestPlugins.tt()).layout(new Layout.None()));

    assertThat(site.page("win.html")).isEqualTo("<p>line</p>\n<p><tt>x</tt></p>\n");
  }

  @Test
  void makesOneProcessRolesCallPerPluginPerPageAndTheLaterPluginWinsARole() throws Exception {
    site.write("p.md", ":tt:`a` :batch:`1` :batch:`2` :tt:`b`\n");

    site.render(request().plugin(TestPlugins.tt())
        .plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of())).layout(new Layout.None()));

    assertThat(site.page("p.html")).isEqualTo("<p><b>A</b> <i>batch of 4</i> <i>batch of 4</i> <b>B</b></p>\n");
    assertThat(site.log.warn).contains("role :tt: is registered by plugin htmlize-tt-plugin and by plugin shout; shout, "
        + "declared later, renders it");
  }

  @Test
  void pagesGoToPluginsInBatchesAndAPluginWithoutTheBatchCallsGetsOneCallPerPage() throws Exception {
    for (int i = 0; i < PAGES; i++) {
      site.write("p" + i + ".md", "page " + i + " :n:`x`\n");
    }
    // 40 pages on 2 threads: 4 batches of 10. A plugin's first call carries one page; from then on as many as it
    // renders in about 0.2 s, here the rest of the batch.
    site.render(request().plugin(TestPlugins.spec("count", CallCountPlugin.class, Map.of(), "batch"))
        .layout(new Layout.None()).threads(2));
    List<Integer> roleCalls = callNumbers("\\[r([0-9]+)]");
    assertThat(new java.util.HashSet<>(roleCalls)).as("calls for %d pages: %s", PAGES, roleCalls)
        .hasSizeLessThan(PAGES * 3 / 4);
    assertThat(new java.util.HashSet<>(callNumbers("<!-- c([0-9]+) -->"))).hasSizeLessThan(PAGES * 3 / 4);
    assertThat(site.log.debug).noneMatch(line -> line.contains("does not implement"));

    // A plugin with only the per-page calls (as one built before the batch calls) renders the same pages.
    site.render(request().plugin(TestPlugins.spec("count-per-page", CallCountPlugin.class, Map.of()))
        .layout(new Layout.None()).threads(2));
    assertThat(callNumbers("\\[r([0-9]+)]")).doesNotHaveDuplicates().hasSize(PAGES);
    assertThat(callNumbers("<!-- c([0-9]+) -->")).doesNotHaveDuplicates().hasSize(PAGES);
    assertThat(site.page("p3.html")).matches("<p>page 3 \\[r[0-9]+]</p>\n<!-- c[0-9]+ -->");
    assertThat(site.log.debug).contains(
        "plugin count-per-page does not implement ProcessRolesBatch; it gets one call per page",
        "plugin count-per-page does not implement ProcessContentsBatch; it gets one call per page");
  }

  private static final int PAGES = 40;

  /** The call number each page's output shows, page by page. */
  private List<Integer> callNumbers(String pattern) throws Exception {
    List<Integer> numbers = new java.util.ArrayList<>();
    for (int i = 0; i < PAGES; i++) {
      java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(pattern).matcher(site.page("p" + i + ".html"));
      assertThat(matcher.find()).as("p%d.html shows its call", i).isTrue();
      numbers.add(Integer.parseInt(matcher.group(1)));
    }
    return numbers;
  }

  @Test
  void aPageThatFailsInABatchFailsAloneAtItsLine() throws Exception {
    site.write("a.md", "fine :tt:`a`\n");
    site.write("b.md", "first :tt:`b`\n\nthen :refuse:`this`\n");
    site.write("c.md", "fine :tt:`c`\n");
    site.write("d.md", "fine :tt:`d`\n");
    PluginSpec shout = TestPlugins.spec("shout", ShoutPlugin.class, Map.of());

    // 4 pages on 1 thread: batches of 2 pages; b fails, and a, in its batch, renders.
    RenderException failure = org.assertj.core.api.Assertions.catchThrowableOfType(RenderException.class,
        () -> site.render(request().plugin(shout).layout(new Layout.None()).threads(1)));

    assertThat(failure.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.where()).isEqualTo("b.md");
      assertThat(problem.line()).isEqualTo(3);
      assertThat(problem.message()).startsWith("plugin shout (pid ").endsWith("): refused this");
    });
    assertThat(site.page("a.html")).isEqualTo("<p>fine <b>A</b></p>\n");
    assertThat(site.page("c.html")).isEqualTo("<p>fine <b>C</b></p>\n");
    assertThat(site.out.resolve("b.html")).doesNotExist();
  }

  @Test
  void aFailingPluginCallNamesThePluginAndThePageAndKeepsThePreviousPage() throws Exception {
    site.write("p.md", "ok\n");
    PluginSpec shout = TestPlugins.spec("shout", ShoutPlugin.class, Map.of());
    site.render(request().plugin(shout).layout(new Layout.None()));
    site.write("p.md", "first line\n\nthen :fail:`this`\n");

    assertThatThrownBy(() -> site.render(request().plugin(shout).layout(new Layout.None())))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("p.md:3: plugin shout (pid ")
        .hasMessageContaining("): IllegalArgumentException: cannot render this");
    assertThat(site.page("p.html")).isEqualTo("<p>ok</p>\n");
  }

  @Test
  void aPluginThatCannotStartFailsTheBuildBeforeAnyPage() throws Exception {
    site.write("p.md", "x\n");
    PluginSpec missing = new PluginSpec("ghost", List.of(site.root().resolve("no-such-plugin").toString()), Map.of(),
        Map.of(), null, "ghost");

    assertThatThrownBy(() -> site.render(request().plugin(TestPlugins.tt()).plugin(missing)))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("plugin ghost: cannot run");
    assertThat(site.out.resolve("p.html")).doesNotExist();
  }

  @Test
  void anInvalidHookNamesThePlugin() throws Exception {
    site.write("p.md", "x\n");

    assertThatThrownBy(() -> site.render(request().plugin(TestPlugins.spec("bad", BadHooksPlugin.class, Map.of()))))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("plugin bad: declares an invalid hook \"rolex:broken\"");
  }

  @Test
  void aSecondBuildWithNoChangeStartsNoPluginAndRewritesNothing() throws Exception {
    site.write("a.md", ":tt:`a`\n");
    site.write("b.txt", "b\n");
    site.render(request().plugin(TestPlugins.tt()));
    long modified = Files.getLastModifiedTime(site.out.resolve("a.html")).toMillis();

    RenderSummary second = site.render(request().plugin(TestPlugins.tt()));

    assertThat(second.rendered()).isZero();
    assertThat(second.upToDate()).isEqualTo(2);
    assertThat(second.plugins()).isZero();
    assertThat(Files.getLastModifiedTime(site.out.resolve("a.html")).toMillis()).isEqualTo(modified);
  }

  @Test
  void rendersOnlyWhatChangedAndRemovesPagesOfDeletedSources() throws Exception {
    site.write("a.md", "a\n");
    site.write("b.md", "b\n");
    site.write("c.md", "c\n");
    site.render(request());

    site.write("a.md", "a changed\n");
    Files.delete(site.src.resolve("c.md"));
    Files.writeString(site.out.resolve("b.html"), "edited by hand");
    RenderSummary summary = site.render(request());

    assertThat(summary.rendered()).isEqualTo(2);
    assertThat(summary.upToDate()).isZero();
    assertThat(summary.removed()).isEqualTo(1);
    assertThat(site.page("a.html")).contains("<p>a changed</p>");
    assertThat(site.page("b.html")).contains("<p>b</p>");
    assertThat(site.out.resolve("c.html")).doesNotExist();
  }

  @Test
  void aChangedPluginPropertyLayoutOrAuthorRendersEverything() throws Exception {
    site.write("a.md", "a\n");
    site.write("b.md", "b\n");
    site.render(request());

    assertThat(site.render(request().defaultAuthor("Ann")).rendered()).isEqualTo(2);
    assertThat(site.render(request().defaultAuthor("Ann")).rendered()).isZero();
    assertThat(site.render(request().defaultAuthor("Ann").layout(new Layout.None())).rendered()).isEqualTo(2);
    PluginSpec toc = TestPlugins.spec("toc", TocPlugin.class, Map.of("levels", "2-3"));
    PluginSpec tocChanged = TestPlugins.spec("toc", TocPlugin.class, Map.of("levels", "1-3"));
    assertThat(site.render(request().plugin(toc)).rendered()).isEqualTo(2);
    assertThat(site.render(request().plugin(tocChanged)).rendered()).isEqualTo(2);
  }

  @Test
  void outputIsReproducible() throws Exception {
    site.write("a.md", "---\ntitle: A\ntags: x, y\nextra:\n  k: v\n---\n# A\n\n:tt:`x`\n");
    Path first = site.root().resolve("first");
    Path second = site.root().resolve("second");

    new Engine(site.log).render(RenderRequest.builder(site.src, first, site.root().resolve("w1")).plugin(TestPlugins.tt()).build());
    new Engine(site.log).render(RenderRequest.builder(site.src, second, site.root().resolve("w2")).plugin(TestPlugins.tt()).build());

    assertThat(Files.readAllBytes(second.resolve("a.html"))).isEqualTo(Files.readAllBytes(first.resolve("a.html")));
  }

  @Test
  void refusesToWriteThroughASymbolicLinkOutOfTheOutputDirectory() throws Exception {
    Path outside = Files.createDirectories(site.root().resolve("outside"));
    Files.createDirectories(site.out);
    Files.createSymbolicLink(site.out.resolve("escape"), outside);
    site.write("escape/page.md", "x\n");

    assertThatThrownBy(() -> site.render(request()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("escape/page.md: cannot write escape/page.html: the output path escape/page.html goes "
            + "through a symbolic link");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void usesAMustacheTemplate() throws Exception {
    Path template = site.root().resolve("page.mustache");
    Files.writeString(template, "<title>{{title}}</title><link href=\"{{root}}style.css\">"
        + "{{#tags}}[{{.}}]{{/tags}} {{metadata.section}} {{{body}}}");
    site.write("deep/dir/p.md", "---\ntitle: T & U\ntags: [a, b]\nsection: intro\n---\nx\n");

    site.render(request().layout(new Layout.Template(template)));

    assertThat(site.page("deep/dir/p.html"))
        .isEqualTo("<title>T &amp; U</title><link href=\"../../style.css\">[a][b] intro <p>x</p>\n");
  }

  @Test
  void reportsAMissingTemplate() {
    assertThatThrownBy(() -> site.render(request().layout(new Layout.Template(site.root().resolve("missing.mustache")))))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("the layout template does not exist");
  }

  @Test
  void honoursIncludesAndExcludes() throws Exception {
    site.write("a.md", "a\n");
    site.write("drafts/b.md", "b\n");
    site.write("notes.txt", "n\n");
    site.write("image.png", "not markup\n");

    RenderSummary summary = site.render(request().excludes(List.of("drafts/**")));

    assertThat(summary.rendered()).isEqualTo(2);
    assertThat(site.out.resolve("a.html")).exists();
    assertThat(site.out.resolve("notes.html")).exists();
    assertThat(site.out.resolve("drafts/b.html")).doesNotExist();
    assertThat(site.out.resolve("image.html")).doesNotExist();
  }

  @Test
  void refusesTwoSourcesForOnePage() throws Exception {
    site.write("a.md", "a\n");
    site.write("a.txt", "a\n");

    assertThatThrownBy(() -> site.render(request()))
        .hasMessageContaining("both a.md and a.txt would become a.html");
  }

  @Test
  void aPluginThatCrashesMidBuildFailsItNamingThePluginThePageAndTheExitStatus() throws Exception {
    site.write("a.md", "fine\n");
    PluginSpec shout = TestPlugins.spec("shout", ShoutPlugin.class, Map.of());
    site.render(request().plugin(shout).layout(new Layout.None()));
    site.write("a.md", "now\n\n:crash:`7`\n");

    assertThatThrownBy(() -> site.render(request().plugin(shout).layout(new Layout.None())))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("a.md:3: plugin shout (pid ")
        .hasMessageContaining("exited with status 7");
    assertThat(site.page("a.html")).isEqualTo("<p>fine</p>\n");
  }

  @Test
  void aPluginCrashingOnItsNthCallFailsTheBuildWithinTwoSecondsAndNoPageIsHalfWritten() throws Exception {
    int pages = 30;
    for (int i = 0; i < pages; i++) {
      site.write("p" + i + ".md", "old " + i + "\n");
    }
    site.render(request().layout(new Layout.None()));
    for (int i = 0; i < pages; i++) {
      site.write("p" + i + ".md", "new " + i + " :tt:`x" + i + "`\n");
    }
    PluginSpec shout = TestPlugins.spec("shout", ShoutPlugin.class, Map.of("crashOnCall", "20"));

    RenderException failure = org.assertj.core.api.Assertions.catchThrowableOfType(RenderException.class,
        () -> site.render(request().plugin(shout).layout(new Layout.None()).threads(4)));
    long failedAt = System.currentTimeMillis();

    assertThat(failure).isNotNull();
    Problem crash = failure.problems().stream().filter(p -> p.message().contains("crashing on call 20"))
        .findFirst().orElseThrow(() -> new AssertionError("no problem shows the plugin's last stderr lines: "
            + failure.problems()));
    assertThat(crash.where()).matches("p[0-9]+\\.md");
    assertThat(crash.line()).isEqualTo(1);
    assertThat(crash.message()).contains("plugin shout (pid ").contains("exited with status 3");
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("crashing on call 20 at ([0-9]+)")
        .matcher(crash.message());
    assertThat(at.find()).isTrue();
    assertThat(failedAt - Long.parseLong(at.group(1))).as("ms from the crash to the failed build")
        .isLessThan(2000);
    int renewed = 0;
    for (int i = 0; i < pages; i++) {
      String page = site.page("p" + i + ".html");
      if (page.equals("<p>new " + i + " <b>X" + i + "</b></p>\n")) {
        renewed++;
      } else {
        assertThat(page).as("page %d is whole: the previous build's, or this one's", i)
            .isEqualTo("<p>old " + i + "</p>\n");
      }
    }
    // 30 pages on 4 threads go in batches of 4: the crashing batch loses up to 3 pages the plugin had done before
    // page 20; the other batches answered before the crash, or while the plugin was exiting, are written.
    assertThat(renewed).isBetween(16, pages - 1);
    assertThat(failure.problems()).as("every page not rendered is reported").hasSize(pages - renewed);
    // The next build renders what failed, and only that.
    RenderSummary next = site.render(request().plugin(TestPlugins.spec("shout", ShoutPlugin.class,
        Map.of("crashOnCall", "20"))).layout(new Layout.None()).threads(1));
    assertThat(next.rendered()).isEqualTo(pages - renewed);
  }

  @Test
  void aHungCallMeetsTheCallTimeoutAndThePluginIsStopped() throws Exception {
    site.write("a.md", ":hang:`forever`\n");

    assertThatThrownBy(() -> site.render(request().plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of()))
        .callTimeout(java.time.Duration.ofSeconds(1))))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("a.md:1: plugin shout (pid ")
        .hasMessageContaining("DEADLINE_EXCEEDED")
        .hasMessageContaining("the plugin is stopped");
    assertThat(site.out.resolve("a.html")).doesNotExist();
  }

  @Test
  void pluginsGetAMinimalEnvironmentUnlessToldOtherwise() throws Exception {
    site.write("a.md", ":env:`BUILD_SECRET` :env:`PATH_CHECK` :env:`EXTRA`\n");
    Map<String, String> host = Map.of("BUILD_SECRET", "s3cr3t", "PATH", System.getenv("PATH"),
        "PATH_CHECK", "x");
    PluginSpec shout = new PluginSpec("shout", TestPlugins.spec("shout", ShoutPlugin.class, Map.of()).command(),
        Map.of(), Map.of("EXTRA", "added"), null, "shout");

    site.render(request().plugin(shout).hostEnvironment(host).layout(new Layout.None()));
    assertThat(site.page("a.html")).isEqualTo("<p>absent absent added</p>\n");

    site.render(request().plugin(shout).hostEnvironment(host).inheritEnvironment(true).layout(new Layout.None()));
    assertThat(site.page("a.html")).isEqualTo("<p>s3cr3t x added</p>\n");
  }

  @Test
  void aPluginThatAnswersWithTheWrongCountIsNamed() throws Exception {
    site.write("a.md", ":short:`1` :short:`2`\n");

    assertThatThrownBy(() -> site.render(request().plugin(TestPlugins.spec("short", WrongCountPlugin.class, Map.of()))))
        .isInstanceOf(RenderException.class)
        .hasMessage("a.md:1: plugin short answered ProcessRoles with 1 results for 2 roles");
    assertThat(site.out.resolve("a.html")).doesNotExist();
  }
}
