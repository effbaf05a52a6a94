package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The files of the site's own (sitemap, feed), read as their readers read them, and the link check. */
class SiteOutputsTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private RenderRequest.Builder request() {
    return site.request().siteTitle("The site").siteUrl("https://example.org/docs").defaultAuthor("Site Author");
  }

  private void writeSite() throws Exception {
    site.write("index.md", "---\ntitle: Home\n---\n# Home\n");
    site.write("posts/first.md", "---\ntitle: First & best\ndate: 2024-01-02\ntags: [news]\n"
        + "description: The first post\n---\n");
    site.write("posts/second.md", "---\ntitle: Second\ndate: 2024-03-04T10:30:00+02:00\nauthor: Bo\n---\n");
    site.write("posts/third.md", "---\ntitle: Third\ndate: 2024-02-01\n---\n");
    site.write("posts/undated.md", "---\ntitle: Undated\ndate: last spring\n---\n");
    site.write("posts/draft.md", "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\n");
    site.write("a page.md", "---\ntitle: Spaced\n---\n");
  }

  @Test
  void theSitemapFollowsTheSitemapsSchemaWithEveryPublishedPage() throws Exception {
    writeSite();
    site.render(request());

    Path sitemap = site.out.resolve("sitemap.xml");
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(getClass().getResource("/schemas/sitemap.xsd")).newValidator()
        .validate(new StreamSource(sitemap.toFile()));
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(sitemap.toFile());
    NodeList urls = document.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "url");
    List<String> locs = new java.util.ArrayList<>();
    List<String> lastmods = new java.util.ArrayList<>();
    for (int i = 0; i < urls.getLength(); i++) {
      Element url = (Element) urls.item(i);
      locs.add(url.getElementsByTagNameNS("*", "loc").item(0).getTextContent());
      NodeList lastmod = url.getElementsByTagNameNS("*", "lastmod");
      lastmods.add(lastmod.getLength() == 0 ? "" : lastmod.item(0).getTextContent());
    }
    assertThat(locs).containsExactly("https://example.org/docs/a%20page.html", "https://example.org/docs/index.html",
        "https://example.org/docs/posts/first.html", "https://example.org/docs/posts/second.html",
        "https://example.org/docs/posts/third.html", "https://example.org/docs/posts/undated.html");
    assertThat(lastmods).containsExactly("", "", "2024-01-02", "2024-03-04T10:30:00+02:00", "2024-02-01", "");
  }

  @Test
  void theFeedIsAtomOfTheDatedPagesNewestFirstAndTheSameBytesEveryTime() throws Exception {
    writeSite();
    site.render(request().feedSize(2));

    String xml = Files.readString(site.out.resolve("feed.xml"));
    SyndFeed feed = new SyndFeedInput().build(new StringReader(xml));
    assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
    assertThat(feed.getTitle()).isEqualTo("The site");
    assertThat(feed.getUri()).isEqualTo("https://example.org/docs/");
    assertThat(feed.getPublishedDate().toInstant()).isEqualTo(Instant.parse("2024-03-04T08:30:00Z"));
    List<SyndEntry> entries = feed.getEntries();
    assertThat(entries).extracting(SyndEntry::getTitle).containsExactly("Second", "Third");
    assertThat(entries).extracting(SyndEntry::getUri).containsExactly("https://example.org/docs/posts/second.html",
        "https://example.org/docs/posts/third.html");
    assertThat(entries).extracting(SyndEntry::getLink).containsExactly("https://example.org/docs/posts/second.html",
        "https://example.org/docs/posts/third.html");
    assertThat(entries.get(0).getAuthor()).isEqualTo("Bo");

    site.render(request());
    SyndFeed all = new SyndFeedInput().build(new StringReader(Files.readString(site.out.resolve("feed.xml"))));
    assertThat(all.getEntries()).extracting(SyndEntry::getTitle).containsExactly("Second", "Third", "First & best");
    SyndEntry first = all.getEntries().get(2);
    assertThat(first.getCategories()).extracting(SyndCategory::getName).containsExactly("news");
    assertThat(first.getDescription().getValue()).isEqualTo("The first post");
    assertThat(first.getUpdatedDate().toInstant()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));

    // The same site elsewhere, its sources touched: the same bytes.
    byte[] feedBytes = Files.readAllBytes(site.out.resolve("feed.xml"));
    byte[] sitemapBytes = Files.readAllBytes(site.out.resolve("sitemap.xml"));
    for (Path source : List.of(site.src.resolve("index.md"), site.src.resolve("posts/first.md"))) {
      Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    }
    Path elsewhere = site.root().resolve("elsewhere");
    new Engine(site.log).render(RenderRequest.builder(site.src, elsewhere, site.root().resolve("work2"))
        .layout(new Layout.None()).siteTitle("The site").siteUrl("https://example.org/docs/")
        .defaultAuthor("Site Author").build());
    assertThat(elsewhere.resolve("feed.xml")).hasBinaryContent(feedBytes);
    assertThat(elsewhere.resolve("sitemap.xml")).hasBinaryContent(sitemapBytes);
  }

  @Test
  void withoutTheSiteAddressThereIsNeitherAndTheLogSaysWhyOnce() throws Exception {
    writeSite();
    site.render(site.request());

    assertThat(site.out.resolve("sitemap.xml")).doesNotExist();
    assertThat(site.out.resolve("feed.xml")).doesNotExist();
    assertThat(site.log.info).filteredOn(line -> line.contains("sitemap.xml"))
        .containsExactly("htmlize: no sitemap.xml and no feed.xml: they need the site's address (siteUrl)");

    // Set, then unset again: the files go.
    site.render(request());
    assertThat(site.out.resolve("sitemap.xml")).exists();
    site.render(site.request());
    assertThat(site.out.resolve("sitemap.xml")).doesNotExist();
    assertThat(site.out.resolve("feed.xml")).doesNotExist();
  }

  @Test
  void anAssetOfTheSameNameIsTheUsersOwn() throws Exception {
    site.write("index.md", "---\ndate: 2024-01-01\n---\n");
    site.write("sitemap.xml", "<urlset/>");
    site.write("htmlize.css", "body { color: red }");

    site.render(request().layout(new Layout.Default()));

    assertThat(site.out.resolve("sitemap.xml")).hasContent("<urlset/>");
    assertThat(site.out.resolve("htmlize.css")).hasContent("body { color: red }");
    assertThat(site.out.resolve("feed.xml")).exists();
  }

  @Test
  void brokenLinksInsideTheSiteAreWarningsAtTheirSourceLines() throws Exception {
    site.write("index.md", """
        # Home

        [the guide](guide/intro.md.html) and [install](guide/intro.html#install).

        [missing](guide/nothing.html), [bad anchor](guide/intro.html#nowhere), ![logo](img/logo.png)
        [outside](../../etc/passwd) [external](https://example.com/x) [mail](mailto:a@b.c) [top](#home)
        """);
    site.write("guide/intro.md", "# Intro\n\n## Install\n\n[back](../index.html) [self](#intro) [dir](./)\n");
    site.write("guide/index.md", "# Guide\n");

    site.render(site.request());

    assertThat(site.log.warn).containsExactly(
        "index.md:3: broken link to guide/intro.md.html",
        "index.md:5: broken link to guide/nothing.html",
        "index.md:5: broken link to guide/intro.html#nowhere",
        "index.md:5: broken link to img/logo.png",
        "htmlize: 4 broken links (failOnBrokenLinks makes them fail the build)");

    // With the image there, a no-op build reads nothing and says nothing; failOnBrokenLinks makes them errors.
    site.write("img/logo.png", "png");
    site.log.warn.clear();
    site.render(site.request());
    assertThat(site.log.warn).isEmpty();
    site.write("index.md", "# Home\n\n[missing](nothing.html)\n");
    assertThat(site.problems(site.request().failOnBrokenLinks(true)))
        .containsExactly("index.md:3: broken link to nothing.html");
  }

  @Test
  void aLinkToAPageNotRenderedInThisBuildIsCheckedAgainstItsFile() throws Exception {
    site.write("a.md", "# A\n\n## Part\n");
    site.render(site.request());
    site.write("b.md", "[part](a.html#part) [gone](a.html#whole)\n");

    site.render(site.request());

    assertThat(site.log.warn).containsExactly("b.md:1: broken link to a.html#whole",
        "htmlize: 1 broken link (failOnBrokenLinks makes them fail the build)");
  }

  @Test
  void aLinkToADraftIsBrokenAndOneToAPageThatFailedIsItsPagesProblemAlone() throws Exception {
    site.write("a.md", "[draft](b.html) [failed](c.html)\n");
    site.write("b.md", "---\ndraft: true\n---\n");
    site.write("c.md", "---\nlayout: nothing\n---\n");

    List<String> problems = site.problems(site.request().failOnBrokenLinks(true));

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).isEqualTo("a.md:1: broken link to b.html");
    assertThat(problems.get(1)).startsWith("c.md:2: unknown layout nothing");
  }

  @Test
  void withoutADatedPageThereIsNoFeedAndNoLinkToIt() throws Exception {
    site.write("index.md", "# Home\n");

    site.render(request().layout(new Layout.Default()));

    assertThat(site.out.resolve("sitemap.xml")).exists();
    assertThat(site.out.resolve("feed.xml")).doesNotExist();
    assertThat(org.jsoup.Jsoup.parse(site.page("index.html")).select("link[rel=alternate]")).isEmpty();
    assertThat(site.log.warn).isEmpty();
  }
}
