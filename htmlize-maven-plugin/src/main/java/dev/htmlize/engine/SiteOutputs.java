package dev.htmlize.engine;

import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The files a build writes of its own, besides pages: the theme's stylesheet {@code htmlize.css} (when a page uses
 * the built-in theme) and, with a {@code siteUrl}, {@code sitemap.xml} (the sitemaps.org protocol: every page's
 * absolute address, {@code lastmod} from its date) and {@code feed.xml} (Atom 1.0: the dated pages, newest first, at
 * most {@code feedSize}). Each is made from the site alone, so it is the same bytes for the same site; an asset of the
 * same name in the source directory is the user's own and is copied instead.
 */
final class SiteOutputs {
  static final String STYLESHEET = "htmlize.css";
  static final String SITEMAP = "sitemap.xml";
  static final String FEED = "feed.xml";
  private static final String SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9";
  private static final String ATOM_NAMESPACE = "http://www.w3.org/2005/Atom";
  private static final DateTimeFormatter W3C_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private SiteOutputs() {
  }

  /**
   * The feed's path, if the build writes one: with a site address and a dated page, unless an asset has the name (the
   * user's own feed, linked as it is).
   */
  static String feedPath(RenderRequest request, Map<String, ?> assets, List<Post> published) {
    if (request.siteUrl().isEmpty()) {
      return null;
    }
    if (assets.containsKey(FEED)) {
      return FEED;
    }
    return published.stream().anyMatch(p -> PageMetadata.dateTime(p).isPresent()) ? FEED : null;
  }

  /**
   * The files to write, by path, in order.
   *
   * @param themeUsed whether some page uses the built-in theme
   * @param assets    the assets (one of these names there is the user's own file)
   */
  static Map<String, byte[]> of(RenderRequest request, TemplateSite site, boolean themeUsed, Map<String, ?> assets,
                                EngineLog log) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (themeUsed && !assets.containsKey(STYLESHEET)) {
      files.put(STYLESHEET, stylesheet());
    }
    if (request.siteUrl().isEmpty()) {
      return files;
    }
    if (!assets.containsKey(SITEMAP)) {
      files.put(SITEMAP, sitemap(request, site.pages()));
    }
    if (!assets.containsKey(FEED)) {
      List<Post> dated = site.pages().stream().filter(p -> PageMetadata.dateTime(p).isPresent()).toList();
      if (dated.isEmpty()) {
        log.info("htmlize: no feed.xml: no page has a date (front matter date: 2024-05-01, say)");
      } else {
        files.put(FEED, feed(request, dated));
      }
    }
    return files;
  }

  /** The built-in theme's stylesheet. */
  static byte[] stylesheet() {
    try (InputStream in = SiteOutputs.class.getResourceAsStream(STYLESHEET)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A page's absolute address under the site's. */
  static String absolute(String siteUrl, String outputPath) {
    try {
      return URI.create(siteUrl).resolve(new URI(null, null, "./" + outputPath, null)).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] sitemap(RenderRequest request, List<Post> pages) {
    return xml(out -> {
      out.writeStartElement("urlset");
      out.writeDefaultNamespace(SITEMAP_NAMESPACE);
      for (Post page : pages.stream().sorted(Comparator.comparing(Post::outputPath)).toList()) {
        out.writeCharacters("\n  ");
        out.writeStartElement("url");
        element(out, "loc", absolute(request.siteUrl(), page.outputPath()));
        Optional<OffsetDateTime> date = PageMetadata.dateTime(page);
        if (date.isPresent()) {
          element(out, "lastmod", PageMetadata.dateOnly(page) ? page.date().strip()
              : W3C_TIME.format(date.get()));
        }
        out.writeEndElement();
      }
      out.writeCharacters("\n");
      out.writeEndElement();
    });
  }

  private static byte[] feed(RenderRequest request, List<Post> dated) {
    List<Post> entries = dated.stream()
        .sorted(Comparator.comparing((Post p) -> PageMetadata.dateTime(p).orElseThrow()).reversed()
            .thenComparing(Post::outputPath))
        .limit(request.feedSize()).toList();
    String title = request.siteTitle().isEmpty() ? URI.create(request.siteUrl()).getHost() : request.siteTitle();
    return xml(out -> {
      out.writeStartElement("feed");
      out.writeDefaultNamespace(ATOM_NAMESPACE);
      out.writeAttribute("xml:lang", request.language());
      indent(out, 1);
      element(out, "title", title);
      indent(out, 1);
      element(out, "id", request.siteUrl());
      indent(out, 1);
      link(out, "self", absolute(request.siteUrl(), FEED));
      indent(out, 1);
      link(out, "alternate", request.siteUrl());
      indent(out, 1);
      element(out, "updated", time(entries.get(0)));
      indent(out, 1);
      out.writeStartElement("author");
      element(out, "name", request.defaultAuthor().isEmpty() ? title : request.defaultAuthor());
      out.writeEndElement();
      indent(out, 1);
      element(out, "generator", "htmlize");
      for (Post page : entries) {
        indent(out, 1);
        out.writeStartElement("entry");
        String url = absolute(request.siteUrl(), page.outputPath());
        indent(out, 2);
        element(out, "title", page.title());
        indent(out, 2);
        link(out, "alternate", url);
        indent(out, 2);
        element(out, "id", url);
        indent(out, 2);
        element(out, "updated", time(page));
        if (!page.author().isEmpty()) {
          indent(out, 2);
          out.writeStartElement("author");
          element(out, "name", page.author());
          out.writeEndElement();
        }
        for (String tag : page.tags()) {
          indent(out, 2);
          out.writeEmptyElement("category");
          out.writeAttribute("term", tag);
        }
        String summary = page.metadata().getOrDefault("description", page.metadata().get("summary"));
        if (summary != null && !summary.isBlank()) {
          indent(out, 2);
          element(out, "summary", summary);
        }
        indent(out, 1);
        out.writeEndElement();
      }
      out.writeCharacters("\n");
      out.writeEndElement();
    });
  }

  private static String time(Post page) {
    return W3C_TIME.format(PageMetadata.dateTime(page).orElseThrow().withOffsetSameInstant(ZoneOffset.UTC));
  }

  private interface Body {
    void write(XMLStreamWriter out) throws XMLStreamException;
  }

  private static byte[] xml(Body body) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter out = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(text);
      out.writeStartDocument("UTF-8", "1.0");
      out.writeCharacters("\n");
      body.write(out);
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void indent(XMLStreamWriter out, int level) throws XMLStreamException {
    out.writeCharacters("\n" + "  ".repeat(level));
  }

  private static void element(XMLStreamWriter out, String name, String text) throws XMLStreamException {
    out.writeStartElement(name);
    out.writeCharacters(text);
    out.writeEndElement();
  }

  private static void link(XMLStreamWriter out, String rel, String href) throws XMLStreamException {
    out.writeEmptyElement("link");
    out.writeAttribute("rel", rel);
    out.writeAttribute("href", href);
  }
}
