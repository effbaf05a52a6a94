package dev.htmlize.bench;

import dev.htmlize.engine.markup.MarkdownMarkup;
import dev.htmlize.engine.markup.MarkupDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bodies of 200 generated pages (front matter removed) rendered by raw commonmark-java with the same extensions,
 * and by the engine's Markdown markup (roles parsed, source positions kept for their lines, roles left as written).
 * One operation renders all of them; {@link #BYTES} turns times into throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MarkdownBenchmark {
  static final List<String> BODIES = bodies();
  static final long BYTES = BODIES.stream().mapToLong(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
      .sum();

  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
      StrikethroughExtension.create(), AutolinkExtension.create(), HeadingAnchorExtension.create());

  private Parser parser;
  private HtmlRenderer renderer;
  private MarkdownMarkup markup;

  private static List<String> bodies() {
    List<String> bodies = new ArrayList<>();
    for (String page : SiteGenerator.pages(200, 7)) {
      bodies.add(page.substring(page.indexOf("\n---\n") + 5));
    }
    return bodies;
  }

  @Setup
  public void setup() {
    parser = Parser.builder().extensions(EXTENSIONS).build();
    renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();
    markup = new MarkdownMarkup();
  }

  @Benchmark
  public long rawCommonmark() {
    long length = 0;
    for (String body : BODIES) {
      length += renderer.render(parser.parse(body)).length();
    }
    return length;
  }

  @Benchmark
  public long engineMarkdown() {
    long length = 0;
    for (String body : BODIES) {
      MarkupDocument document = markup.parse(body, 1);
      String[] html = new String[document.roles().size()];
      length += document.render(Arrays.asList(html)).length();
    }
    return length;
  }
}
