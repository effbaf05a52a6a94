package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A site rather than pages: assets, the site in templates, layouts per page, drafts, incrementally. */
class SiteBuildTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private Path layouts() {
    return site.root().resolve("layouts");
  }

  private RenderRequest.Builder request() {
    return site.request().layoutDirectory(layouts()).siteTitle("Test site");
  }

  private void layout(String name, String template) throws Exception {
    Files.createDirectories(layouts());
    Files.writeString(layouts().resolve(name + ".mustache"), template, StandardCharsets.UTF_8);
  }

  @Test
  void assetsAreCopiedByteForByteIncrementallyAndTheirCopiesGoWithThem() throws Exception {
    byte[] png = new byte[70_000];
    for (int i = 0; i < png.length; i++) {
      png[i] = (byte) (i * 31);
    }
    site.write("index.md", "# Home\n");
    site.write("img/logo.png", png);
    site.write("css/site.css", "body { color: red }\n");
    site.write("docs/manual.pdf", "%PDF-1.4\n");
    site.write(".hidden/secret.txt.bak", "no");
    site.write("drafts/.DS_Store", "no");
    site.write("notes.psd", "left out by assetExcludes");

    RenderSummary first = site.render(request().assetExcludes(List.of("**/*.psd")));

    assertThat(first.assets()).isEqualTo(new RenderSummary.Assets(3, 3, 0));
    assertThat(first.line()).contains("3 assets (3 copied, 0 removed); ");
    assertThat(site.out.resolve("img/logo.png")).hasBinaryContent(png);
    assertThat(site.out.resolve("css/site.css")).hasContent("body { color: red }");
    assertThat(site.out.resolve("docs/manual.pdf")).exists();
    assertThat(site.out.resolve(".hidden")).doesNotExist();
    assertThat(site.out.resolve("drafts/.DS_Store")).doesNotExist();
    assertThat(site.out.resolve("notes.psd")).doesNotExist();

    // An unchanged asset is not written again; a changed one is replaced; a deleted one's copy goes.
    FileTime logoWritten = Files.getLastModifiedTime(site.out.resolve("img/logo.png"));
    site.write("css/site.css", "body { color: blue }\n");
    Files.delete(site.src.resolve("docs/manual.pdf"));
    RenderSummary second = site.render(request().assetExcludes(List.of("**/*.psd")));

    assertThat(second.assets()).isEqualTo(new RenderSummary.Assets(2, 1, 1));
    assertThat(second.rendered()).isZero();
    assertThat(second.plugins()).isZero();
    assertThat(Files.getLastModifiedTime(site.out.resolve("img/logo.png"))).isEqualTo(logoWritten);
    assertThat(site.out.resolve("css/site.css")).hasContent("body { color: blue }");
    assertThat(site.out.resolve("docs/manual.pdf")).doesNotExist();

    RenderSummary third = site.render(request().assetExcludes(List.of("**/*.psd")));
    assertThat(third.assets()).isEqualTo(new RenderSummary.Assets(2, 0, 0));
  }

  @Test
  void anAssetIsNotCopiedOverAFileHtmlizeDidNotWriteNorThroughALinkOutOfTheOutput() throws Exception {
    site.write("a.png", "mine");
    site.write("sub/b.png", "mine too");
    Files.createDirectories(site.out);
    Files.writeString(site.out.resolve("a.png"), "someone else's");
    Path elsewhere = Files.createDirectories(site.root().resolve("elsewhere"));
    Files.createSymbolicLink(site.out.resolve("sub"), elsewhere);

    List<String> problems = site.problems(request());

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("a.png: the output directory already has a.png, which this execution");
    assertThat(problems.get(1)).startsWith("sub/b.png: cannot copy the asset to the output directory: the output path "
        + "sub/b.png goes through a symbolic link to " + elsewhere.toRealPath());
    assertThat(site.out.resolve("a.png")).hasContent("someone else's");
    assertThat(elsewhere).isEmptyDirectory();
  }

  @Test
  void anAssetAndAPageWithTheSameOutputAreNamed() throws Exception {
    site.write("a.md", "# A\n");
    site.write("a.html", "<p>hand-written</p>");

    assertThat(site.problems(request())).containsExactly("a.html: both the page of a.md and this file would be a.html "
        + "in the output directory; rename one, or leave the file out with assetExcludes");
  }

  @Test
  void everyTemplateSeesTheSiteWithAddressesRelativeToItsPage() throws Exception {
    layout("page", """
        {{#site.pages}}<a href="{{url}}"{{#current}} class="current"{{/current}} data-section="{{section}}" \
        data-weight="{{weight}}">{{title}}</a>
        {{/site.pages}}{{#site.sections}}<section data-name="{{name}}" title="{{title}}">{{#pages}}{{title}};{{/pages}}\
        </section>
        {{/site.sections}}{{#site.tags}}<tag name="{{name}}">{{#pages}}{{sourcePath}};{{/pages}}</tag>
        {{/site.tags}}<prev>{{#prev}}{{title}} {{url}}{{/prev}}</prev><next>{{#next}}{{title}} {{url}}{{/next}}</next>
        <site title="{{site.title}}">{{metadata.colour}}</site>
        """);
    site.write("index.md", "---\ntitle: Home\nweight: 1\n---\n");
    site.write("about.md", "---\ntitle: About\ntags: [x]\n---\n");
    site.write("guide/index.md", "---\ntitle: The guide\ncolour: green\n---\n");
    site.write("guide/b.md", "---\ntitle: Bee\nweight: 2\ntags: [x, y]\n---\n");
    site.write("guide/a.md", "---\ntitle: Aye\nweight: 10\n---\n");
    site.write("guide/deep/z.md", "---\ntitle: Zed\nweight: 2\n---\n");

    site.render(request().layout(new Layout.Template(layouts().resolve("page.mustache"))));

    Document deep = Jsoup.parse(site.page("guide/deep/z.html"));
    // By weight (absent last), then title: Home (1), Bee (2), Zed (2), Aye (10), About, The guide.
    assertThat(deep.select("a").eachText()).containsExactly("Home", "Bee", "Zed", "Aye", "About", "The guide");
    assertThat(deep.select("a").eachAttr("href")).containsExactly("../../index.html", "../../guide/b.html",
        "../../guide/deep/z.html", "../../guide/a.html", "../../about.html", "../../guide/index.html");
    assertThat(deep.select("a.current").eachText()).containsExactly("Zed");
    assertThat(deep.select("a").eachAttr("data-section")).containsExactly("", "guide", "guide", "guide", "", "guide");
    assertThat(deep.select("a").eachAttr("data-weight")).containsExactly("1", "2", "2", "10", "", "");
    assertThat(deep.select("section").eachAttr("data-name")).containsExactly("", "guide");
    assertThat(deep.select("section").eachAttr("title")).containsExactly("Home", "The guide");
    assertThat(deep.select("section").eachText()).containsExactly("Home;About;", "Bee;Zed;Aye;The guide;");
    assertThat(deep.select("tag").eachAttr("name")).containsExactly("x", "y");
    assertThat(deep.select("tag").eachText()).containsExactly("guide/b.md;about.md;", "guide/b.md;");
    assertThat(deep.selectFirst("prev").text()).isEqualTo("Bee ../../guide/b.html");
    assertThat(deep.selectFirst("next").text()).isEqualTo("Aye ../../guide/a.html");
    assertThat(deep.selectFirst("site").attr("title")).isEqualTo("Test site");
    Document top = Jsoup.parse(site.page("index.html"));
    assertThat(top.select("a").eachAttr("href")).startsWith("index.html", "guide/b.html");
    assertThat(top.selectFirst("prev").text()).isEmpty();
    assertThat(top.selectFirst("next").text()).isEqualTo("About about.html");
    assertThat(Jsoup.parse(site.page("guide/index.html")).selectFirst("site").text()).isEqualTo("green");
  }

  @Test
  void aTitleChangeRendersTheNavigationOfEveryPageAndABodyChangeOnlyItsPage() throws Exception {
    layout("nav", "{{#site.pages}}<a href=\"{{url}}\">{{title}}</a>{{/site.pages}}\n{{{body}}}");
    RenderRequest.Builder request = request().layout(new Layout.Template(layouts().resolve("nav.mustache")));
    site.write("a.md", "---\ntitle: A\n---\nBody a\n");
    site.write("b.md", "---\ntitle: B\n---\nBody b\n");
    site.write("c.md", "---\ntitle: C\n---\nBody c\n");
    site.render(request);

    site.write("b.md", "---\ntitle: B\n---\nBody b, longer\n");
    RenderSummary bodyOnly = site.render(request);
    assertThat(bodyOnly.rendered()).isEqualTo(1);
    assertThat(bodyOnly.upToDate()).isEqualTo(2);

    site.write("b.md", "---\ntitle: Bee\n---\nBody b, longer\n");
    RenderSummary titled = site.render(request);
    assertThat(titled.rendered()).isEqualTo(3);
    assertThat(Jsoup.parse(site.page("c.html")).select("a").eachText()).containsExactly("A", "Bee", "C");

    site.write("d.md", "---\ntitle: D\n---\n");
    assertThat(site.render(request).rendered()).isEqualTo(4);
    Files.delete(site.src.resolve("a.md"));
    RenderSummary gone = site.render(request);
    assertThat(gone.rendered()).isEqualTo(3);
    assertThat(gone.removed()).isEqualTo(1);
    assertThat(Jsoup.parse(site.page("c.html")).select("a").eachText()).containsExactly("Bee", "C", "D");
  }

  @Test
  void withTheBodyOnlyLayoutAndNoPluginsATitleChangeRendersOnlyItsPage() throws Exception {
    site.write("a.md", "---\ntitle: A\n---\n");
    site.write("b.md", "---\ntitle: B\n---\n");
    site.render(request());
    site.write("b.md", "---\ntitle: Bee\n---\n");

    assertThat(site.render(request()).rendered()).isEqualTo(1);
  }

  @Test
  void aPageNamesItsLayoutWhichIncludesPartialsAndAnUnknownOneIsAnErrorAtItsLine() throws Exception {
    layout("post", "<article>{{> byline}}{{{body}}}</article>");
    layout("byline", "<p class=\"byline\">{{author}}</p>");
    site.write("a.md", "---\nauthor: Ann\nlayout: post\n---\nText\n");
    site.write("b.md", "Plain\n");
    site.write("c.md", "---\ntitle: C\n\nlayout: poster\n---\n");

    List<String> problems = site.problems(request());

    assertThat(problems).containsExactly("c.md:4: unknown layout poster: there is no poster.mustache in the layout "
        + "directory " + layouts() + ", whose templates are byline, post; default and none are built in");
    assertThat(site.page("a.html")).isEqualTo("<article><p class=\"byline\">Ann</p><p>Text</p>\n</article>");
    assertThat(site.page("b.html")).isEqualTo("<p>Plain</p>\n");
    assertThat(site.out.resolve("c.html")).doesNotExist();

    // A change to a template of the layout directory renders every page again.
    layout("byline", "<p class=\"byline\">by {{author}}</p>");
    site.write("c.md", "---\ntitle: C\n---\n");
    assertThat(site.render(request()).rendered()).isEqualTo(3);
    assertThat(site.page("a.html")).contains("by Ann");
  }

  @Test
  void aPageOfTheDefaultLayoutAmongOthersGetsTheThemeAndItsStylesheet() throws Exception {
    site.write("a.md", "---\nlayout: default\n---\n# A\n");
    site.write("b.md", "# B\n");

    site.render(request());

    assertThat(Jsoup.parse(site.page("a.html")).selectFirst("link[rel=stylesheet]").attr("href"))
        .isEqualTo("htmlize.css");
    assertThat(site.page("b.html")).isEqualTo("<h1 id=\"b\">B</h1>\n");
    assertThat(site.out.resolve(SiteOutputs.STYLESHEET)).isRegularFile();

    // No page of the theme: its stylesheet goes.
    site.write("a.md", "# A\n");
    site.render(request());
    assertThat(site.out.resolve(SiteOutputs.STYLESHEET)).doesNotExist();
  }

  @Test
  void badValuesOfHtmlizesOwnKeysAreErrorsAtTheirLines() throws Exception {
    site.write("a.md", "---\ntitle: A\nweight: heavy\n---\n");
    site.write("b.md", "---\ndraft: maybe\n---\n");
    site.write("c.md", "---\nlayout: ../x\n---\n");

    assertThat(site.problems(request())).containsExactly(
        "a.md:3: weight must be a number (pages are listed by weight, ascending), not \"heavy\"",
        "b.md:2: draft must be true or false, not \"maybe\"",
        "c.md:2: layout must name a template of the layout directory (NAME for NAME.mustache), or default or none, "
            + "not \"../x\"");
  }

  @Test
  void draftsAreLeftOutOfTheOutputAndTheSiteUntilTheyAreRenderedOrPublished() throws Exception {
    layout("nav", "{{#site.pages}}{{title}};{{/site.pages}}");
    RenderRequest.Builder request = request().layout(new Layout.Template(layouts().resolve("nav.mustache")));
    site.write("a.md", "---\ntitle: A\n---\n");
    site.write("b.md", "---\ntitle: B\ndraft: true\n---\n");

    RenderSummary first = site.render(request);
    assertThat(first.drafts()).isEqualTo(1);
    assertThat(first.line()).contains("1 draft left out; ");
    assertThat(site.out.resolve("b.html")).doesNotExist();
    assertThat(site.page("a.html")).isEqualTo("A;");

    // Nothing changed: nothing renders, and the draft is not read again.
    RenderSummary again = site.render(request);
    assertThat(again.rendered()).isZero();
    assertThat(again.drafts()).isEqualTo(1);

    // Drafts rendered on request.
    RenderSummary withDrafts = site.render(request().layout(new Layout.Template(layouts().resolve("nav.mustache")))
        .drafts(true));
    assertThat(withDrafts.rendered()).isEqualTo(2);
    assertThat(site.page("b.html")).isEqualTo("A;B;");

    // Back without drafts: the draft's page goes.
    RenderSummary without = site.render(request);
    assertThat(without.removed()).isEqualTo(1);
    assertThat(site.out.resolve("b.html")).doesNotExist();
    assertThat(site.page("a.html")).isEqualTo("A;");

    // Published: it comes, and every page's navigation shows it.
    site.write("b.md", "---\ntitle: B\ndraft: false\n---\n");
    RenderSummary published = site.render(request);
    assertThat(published.rendered()).isEqualTo(2);
    assertThat(published.drafts()).isZero();
    assertThat(site.page("a.html")).isEqualTo("A;B;");

    // A draft again: its page goes, and the others no longer show it.
    site.write("b.md", "---\ntitle: B\ndraft: true\n---\n");
    RenderSummary drafted = site.render(request);
    assertThat(drafted.removed()).isEqualTo(1);
    assertThat(site.out.resolve("b.html")).doesNotExist();
    assertThat(site.page("a.html")).isEqualTo("A;");
  }
}
