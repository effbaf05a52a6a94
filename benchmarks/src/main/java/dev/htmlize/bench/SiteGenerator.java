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

  static String page(Random random, int index) {
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
    if (random.nextInt(4) == 0) {
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
              out.append("- ").append(sentence(random)).append('\n');
            }
            out.append('\n');
          }
          case 1 -> out.append("```java\nint x = ").append(random.nextInt(1000)).append("; // :tt:`not a role`\n")
              .append("```\n\n");
          case 2 -> {
            out.append("| name | value |\n|---|---|\n");
            for (int row = 0; row < 2 + random.nextInt(4); row++) {
              out.append("| ").append(word(random)).append(" | :tt:`").append(random.nextInt(100))
                  .append("` |\n");
            }
            out.append('\n');
          }
          default -> {
            for (int line = 0; line < 2 + random.nextInt(5); line++) {
              out.append(sentence(random)).append('\n');
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private static String sentence(Random random) {
    StringBuilder out = new StringBuilder(words(random, 4 + random.nextInt(8)));
    switch (random.nextInt(6)) {
      case 0 -> out.append(" :tt:`").append(word(random)).append("()`");
      case 1 -> out.append(" (see :issue:`").append(1 + random.nextInt(999)).append("`)");
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
