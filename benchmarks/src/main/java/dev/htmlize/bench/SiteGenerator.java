package dev.htmlize.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic site: Markdown pages with front matter, headings, paragraphs, lists, tables, code blocks and the
 * sample plugins' roles ({@code :tt:}, {@code :issue:}), some with a {@code <!-- toc -->} marker and some with the
 * narcissist's "I". The same seed gives the same bytes.
 */
public final class SiteGenerator {
  private static final String[] WORDS = ("the a of plugin page render build host process socket call role value "
      + "markdown heading table list code fast slow start archive class path jar module engine output source "
      + "html site layout author title date tag front matter stream byte line word gRPC netty JVM").split(" ");

  private SiteGenerator() {
  }

  /** Writes {@code pages} pages under {@code directory} in folders of 100, and returns their total size in bytes. */
  public static long generate(Path directory, int pages, long seed) throws IOException {
    Random random = new Random(seed);
    long total = 0;
    for (int i = 0; i < pages; i++) {
      Path file = directory.resolve(String.format("section-%02d/page-%05d.md", i / 100, i));
      Files.createDirectories(file.getParent());
      byte[] bytes = page(random, i).getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
      total += bytes.length;
    }
    return total;
  }

  /** The pages' text, in memory, for benchmarks of the markup alone. */
  public static List<String> pages(int pages, long seed) {
    Random random = new Random(seed);
    List<String> result = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      result.add(page(random, i));
    }
    return result;
  }

  /**
   * Writes the same pages without roles or plugin markers ({@code :tt:} and {@code :issue:} become inline code, no
   * {@code <!-- toc -->}), for the site generators compared with htmlize, in the layout each expects: {@code
   * src/main/htmlize/...} with YAML front matter, JBake's {@code src/main/jbake/content/...} with its own header, Hugo's
   * {@code content/...} with YAML front matter. The bodies are byte-identical; each tool gets the same title, author,
   * date, tags and weight.
   */
  public static void generatePlain(Path directory, int pages, long seed, Peer peer) throws IOException {
    Random random = new Random(seed);
    for (int i = 0; i < pages; i++) {
      String page = page(random, i, false);
      Path file = directory.resolve(peer.contentDirectory).resolve(String.format("section-%02d/page-%05d.md",
          i / 100, i));
      Files.createDirectories(file.getParent());
      Files.writeString(file, peer == Peer.JBAKE ? jbakeHeader(page) : page, StandardCharsets.UTF_8);
    }
  }

  /** Where each tool reads its pages from. */
  public enum Peer {
    HTMLIZE("src/main/htmlize"), JBAKE("src/main/jbake/content"), HUGO("content");

    final String contentDirectory;

    Peer(String contentDirectory) {
      this.contentDirectory = contentDirectory;
    }
  }

  /** The YAML front matter as JBake's header ({@code key=value} lines ending at {@code ~~~~~~}), body unchanged. */
  static String jbakeHeader(String page) {
    int end = page.indexOf("\n---\n", 4);
    StringBuilder out = new StringBuilder();
    for (String line : page.substring(4, end).split("\n")) {
      int colon = line.indexOf(": ");
      String key = line.substring(0, colon);
      String value = line.substring(colon + 2);
      if (key.equals("tags")) {
        value = value.substring(1, value.length() - 1);
      }
      out.append(key).append('=').append(value).append('\n');
    }
    return out.append("type=page\nstatus=published\n~~~~~~\n").append(page.substring(end + 5)).toString();
  }

  static String page(Random random, int index) {
    return page(random, index, true);
  }

  static String page(Random random, int index, boolean roles) {
    StringBuilder out = new StringBuilder();
    out.append("---\n")
        .append("title: Page ").append(index).append(' ').append(words(random, 3)).append('\n')
        .append("author: Author ").append(random.nextInt(20)).append('\n')
        .append("date: 2024-").append(String.format("%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28)))
        .append('\n')
        .append("tags: [").append(word(random)).append(", ").append(word(random)).append("]\n")
        .append("weight: ").append(random.nextInt(100)).append('\n')
        .append("---\n\n")
        .append("# ").append(words(random, 4)).append("\n\n");
    if (random.nextInt(4) == 0 && roles) {
      out.append("<!-- toc -->\n\n");
    }
    int sections = 2 + random.nextInt(6);
    for (int s = 0; s < sections; s++) {
      out.append("## ").append(words(random, 3)).append("\n\n");
      int blocks = 1 + random.nextInt(4);
      for (int b = 0; b < blocks; b++) {
        switch (random.nextInt(8)) {
          case 0 -> {
            for (int item = 0; item < 3 + random.nextInt(4); item++) {
              out.append("- ").append(sentence(random, roles)).append('\n');
            }
            out.append('\n');
          }
          case 1 -> out.append("```java\nint x = ").append(random.nextInt(1000))
              .append(roles ? "; // :tt:`not a role`\n" : "; // not a role\n")
              .append("```\n\n");
          case 2 -> {
            out.append("| name | value |\n|---|---|\n");
            for (int row = 0; row < 2 + random.nextInt(4); row++) {
              out.append("| ").append(word(random)).append(roles ? " | :tt:`" : " | `").append(random.nextInt(100))
                  .append("` |\n");
            }
            out.append('\n');
          }
          default -> {
            for (int line = 0; line < 2 + random.nextInt(5); line++) {
              out.append(sentence(random, roles)).append('\n');
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private static String sentence(Random random, boolean roles) {
    StringBuilder out = new StringBuilder(words(random, 4 + random.nextInt(8)));
    switch (random.nextInt(6)) {
      case 0 -> out.append(roles ? " :tt:`" : " `").append(word(random)).append("()`");
      case 1 -> out.append(roles ? " (see :issue:`" : " (see `#").append(1 + random.nextInt(999)).append("`)");
      case 2 -> out.append(", and I ").append(word(random)).append(" **").append(word(random)).append("**");
      case 3 -> out.append(" `").append(word(random)).append("` ~~").append(word(random)).append("~~");
      default -> {
      }
    }
    return out.append(" ").append(words(random, 2 + random.nextInt(5))).append('.').toString();
  }

  private static String words(Random random, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(word(random));
    }
    return out.toString();
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
