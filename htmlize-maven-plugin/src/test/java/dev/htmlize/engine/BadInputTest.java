package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input, end to end through the engine: each is an error naming the file (and line, or byte offset), the other
 * pages still render, sources are never written, and nothing is written outside the output directory.
 */
class BadInputTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  /** Every source file's bytes, to show that a build wrote none. */
  private Map<Path, byte[]> sourceSnapshot() throws IOException {
    Map<Path, byte[]> snapshot = new HashMap<>();
    try (Stream<Path> files = Files.walk(site.src)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        snapshot.put(file, Files.readAllBytes(file));
      }
    }
    return snapshot;
  }

  private void assertSourcesUnchanged(Map<Path, byte[]> before) throws IOException {
    Map<Path, byte[]> after = sourceSnapshot();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((file, bytes) -> assertThat(after.get(file)).as(file.toString()).isEqualTo(bytes));
  }

  private static byte[] bytes(String before, int[] bad, String after) {
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + bad.length + tail.length);
    for (int i = 0; i < bad.length; i++) {
      all[head.length + i] = (byte) bad[i];
    }
    System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
    return all;
  }

  @Test
  void invalidUtf8IsAnErrorNamingThePathTheLineAndTheByteOffset() throws Exception {
    site.write("good.md", "fine\n");
    site.write("continuation.md", bytes("one\ntwo\nthr", new int[] {0x80}, "ee\n"));
    site.write("overlong.md", bytes("a\n", new int[] {0xc0, 0xaf}, "\n"));
    site.write("surrogate.txt", bytes("x", new int[] {0xed, 0xa0, 0x80}, ""));
    site.write("truncated.md", bytes("caf", new int[] {0xc3}, ""));
    site.write("too-high.md", bytes("\n\n\n", new int[] {0xf5, 0x80, 0x80, 0x80}, ""));
    Map<Path, byte[]> before = sourceSnapshot();

    assertThat(site.problems(site.request())).containsExactly(
        "continuation.md:3: bytes that are not valid UTF-8 at byte offset 11 (0x80); save the file as UTF-8 or set "
            + "the encoding parameter",
        "overlong.md:2: bytes that are not valid UTF-8 at byte offset 2 (0xc0); save the file as UTF-8 or set the "
            + "encoding parameter",
        "surrogate.txt:1: bytes that are not valid UTF-8 at byte offset 1 (0xed); save the file as UTF-8 or set the "
            + "encoding parameter",
        "too-high.md:4: bytes that are not valid UTF-8 at byte offset 3 (0xf5); save the file as UTF-8 or set the "
            + "encoding parameter",
        "truncated.md:1: bytes that are not valid UTF-8 at byte offset 3 (0xc3); save the file as UTF-8 or set the "
            + "encoding parameter");
    assertThat(Files.readString(site.out.resolve("good.html"))).isEqualTo("<p>fine</p>\n");
    try (Stream<Path> pages = Files.list(site.out)) {
      assertThat(pages.map(p -> p.getFileName().toString())).containsExactly("good.html");
    }
    assertSourcesUnchanged(before);
  }

  @Test
  void aHundredMegabyteSourceIsRefusedNamingItWithoutBeingRead() throws Exception {
    site.write("small.md", "small\n");
    Path big = site.src.resolve("big.md");
    byte[] line = "A line of a generated Markdown file, repeated until it is a hundred megabytes long.\n"
        .getBytes(StandardCharsets.UTF_8);
    try (OutputStream stream = Files.newOutputStream(big)) {
      for (long written = 0; written < 100L * 1024 * 1024; written += line.length) {
        stream.write(line);
      }
    }
    long size = Files.size(big);

    List<String> problems = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> site.problems(site.request()));

    assertThat(problems).containsExactly("big.md: " + size + " bytes, more than maxSourceSize (10485760 bytes); "
        + "exclude it, split it, or raise maxSourceSize");
    assertThat(site.out.resolve("small.html")).hasContent("<p>small</p>");
    assertThat(site.out.resolve("big.html")).doesNotExist();
  }

  @Test
  void theSizeLimitCountsBytesAndCanBeRaised() throws Exception {
    site.write("exact.md", "x".repeat(99) + "\n");
    site.write("over.md", "x".repeat(100) + "\n");

    assertThat(site.problems(site.request().maxSourceSize(100))).containsExactly(
        "over.md: 101 bytes, more than maxSourceSize (100 bytes); exclude it, split it, or raise maxSourceSize");
    assertThat(site.out.resolve("exact.html")).exists();

    new Engine(site.log).render(site.request().maxSourceSize(101).build());
    assertThat(site.out.resolve("over.html")).exists();
  }

  @Test
  void aBinaryFileMatchedByTheIncludesIsAnErrorNamingIt() throws Exception {
    site.write("good.md", "fine\n");
    // A PNG's signature and the start of its header chunk, named as Markdown.
    site.write("logo.md", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'});
    // A NUL past the first 8 KiB, where the quick check does not look.
    site.write("late.txt", bytes("x\n".repeat(5000), new int[] {0}, "tail\n"));
    site.write("utf16.md", "# Title\n".getBytes(StandardCharsets.UTF_16LE));
    Map<Path, byte[]> before = sourceSnapshot();

    assertThat(site.problems(site.request().includes(List.of("**/*.md", "**/*.txt")))).containsExactly(
        "late.txt:5001: a NUL character at byte offset 10000: binary data (or text in another encoding, such as "
            + "UTF-16), not markup; exclude the file or set the encoding parameter",
        "logo.md: looks like a binary file (it has NUL bytes), not markup; exclude it",
        "utf16.md: looks like a binary file (it has NUL bytes), not markup; exclude it");
    assertThat(site.out.resolve("good.html")).exists();
    assertThat(site.out.resolve("logo.html")).doesNotExist();
    assertThat(site.out.resolve("late.html")).doesNotExist();
    assertSourcesUnchanged(before);
  }

  @Test
  void malformedFrontMatterNamesThePathAndTheLine() throws Exception {
    site.write("good.md", "---\ntitle: Good\n---\nfine\n");
    site.write("flow.md", "---\ntitle: T\ntags: [a, b\nauthor: A\n---\nbody\n");
    site.write("list.md", "---\n- a\n- b\n---\nbody\n");
    site.write("duplicate.md", "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nbody\n");
    site.write("tab.md", "---\ntitle: T\nextra:\n\tkey: v\n---\nbody\n");
    site.write("alias.md", "---\ntitle: T\nsee: *nowhere\n---\nbody\n");
    site.write("unclosed.txt", "---\ntitle: T\n\nbody that never closes the front matter\n");
    site.write("deep.md", "---\nk: " + "{a: ".repeat(20) + "1" + "}".repeat(20) + "\n---\nbody\n");
    site.write("key.md", "---\ntitle: T\n[a, b]: c\n---\nbody\n");

    List<String> problems = site.problems(site.request());

    assertThat(problems).hasSize(8).allSatisfy(p -> assertThat(p).matches("[a-z]+\\.(md|txt):[1-9][0-9]*: .+"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("alias.md:3: invalid front matter: "))
        .anySatisfy(p -> assertThat(p).startsWith("deep.md:2: front matter nests deeper than 16 levels"))
        .anySatisfy(p -> assertThat(p).isEqualTo("duplicate.md:4: duplicate key title"))
        .anySatisfy(p -> assertThat(p).isEqualTo("flow.md:4: invalid front matter: expected ',' or ']', but got :"))
        .anySatisfy(p -> assertThat(p).isEqualTo("key.md:3: expected a plain value here"))
        .anySatisfy(p -> assertThat(p).startsWith("list.md:2: front matter must be a mapping"))
        .anySatisfy(p -> assertThat(p).startsWith("tab.md:4: invalid front matter: "))
        .anySatisfy(p -> assertThat(p).isEqualTo(
            "unclosed.txt:1: front matter starts with --- on line 1 but has no closing --- line"));
    assertThat(site.out.resolve("good.html")).hasContent("<p>fine</p>");
  }

  @Test
  void pathologicalNestingRendersInBoundedTimeWithoutAStackOverflow() throws Exception {
    int n = 100_000;
    Map<String, String> pages = new HashMap<>();
    pages.put("quotes.md", ">".repeat(n) + " deep\n");
    pages.put("brackets.md", "[".repeat(n) + "deep" + "]".repeat(n) + "\n");
    pages.put("stars.md", "*".repeat(n) + "deep" + "*".repeat(n) + "\n");
    int m = 20_000;
    pages.put("quotes-spaced.md", "> ".repeat(m) + "deep\n");
    pages.put("links.md", "[".repeat(m) + "deep" + "](u)".repeat(m) + "\n");
    pages.put("images.md", "![".repeat(m) + "deep" + "](u)".repeat(m) + "\n");
    pages.put("emphasis.md", "*a **b ".repeat(m / 10) + "deep" + " b** a*".repeat(m / 10) + "\n");
    pages.put("lists.md", "- ".repeat(m) + "deep\n");
    pages.put("nested-lists.md", buildNestedList(1000));
    pages.put("html.md", "<div>".repeat(m) + "deep" + "</div>".repeat(m) + "\n");
    pages.put("roles.md", ":a:`".repeat(m) + "deep\n");
    pages.put("roles-text.txt", ":a:`".repeat(m) + "deep\n");
    for (Map.Entry<String, String> page : pages.entrySet()) {
      site.write(page.getKey(), page.getValue());
    }

    RenderSummary summary = assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> new Engine(site.log).render(site.request().threads(2).build()));

    assertThat(summary.rendered()).isEqualTo(pages.size());
    for (String source : pages.keySet()) {
      assertThat(Files.readString(site.out.resolve(SourceReader.outputPathOf(source)))).as(source).contains("deep");
    }
  }

  private static String buildNestedList(int depth) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      list.append("  ".repeat(i)).append("- item ").append(i).append('\n');
    }
    return list.append("  ".repeat(depth)).append("- deep\n").toString();
  }

  @Test
  void aSymbolicLinkToAFileOutsideTheOutputDirectoryIsNotWrittenThrough() throws Exception {
    Path outside = Files.createDirectories(site.root().resolve("outside"));
    Path victim = Files.writeString(outside.resolve("victim.html"), "precious");
    Files.createDirectories(site.out);
    Files.createSymbolicLink(site.out.resolve("p.html"), victim);
    site.write("p.md", "overwrite?\n");

    assertThat(site.problems(site.request())).containsExactly(
        "p.md: cannot write p.html: the output file p.html is a symbolic link; refusing to write through it");
    assertThat(victim).hasContent("precious");
    assertThat(outside).isDirectoryContaining(p -> true).isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
  }

  @Test
  void symbolicLinksInTheSourceTreeNeverLeadOutputOutside() throws Exception {
    Path elsewhere = Files.createDirectories(site.root().resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("linked-dir-page.md"), "from a linked directory\n");
    Path outsideFile = Files.writeString(site.root().resolve("outside-file.md"), "from a linked file\n");
    Files.createSymbolicLink(site.src.resolve("up"), site.root());
    Files.createSymbolicLink(site.src.resolve("dir"), elsewhere);
    Files.createSymbolicLink(site.src.resolve("file.md"), outsideFile);
    site.write("page.md", "plain\n");

    new Engine(site.log).render(site.request().build());

    // Linked directories are not walked (no loop through "up", nothing of "elsewhere"); a linked file is a page.
    try (Stream<Path> written = Files.walk(site.out)) {
      assertThat(written.filter(Files::isRegularFile).map(p -> site.out.relativize(p).toString()))
          .containsExactlyInAnyOrder("file.html", "page.html");
    }
    try (Stream<Path> all = Files.walk(site.root())) {
      assertThat(all.filter(p -> p.toString().endsWith(".html")).filter(p -> !p.startsWith(site.out))).isEmpty();
    }
  }

  @Test
  void frontMatterCannotChooseWhereAPageIsWritten() throws Exception {
    site.write("a/p.md", "---\noutput: ../../escaped.html\npermalink: /etc/passwd\npath: ../x.html\nurl: ..\n---\nx\n");

    new Engine(site.log).render(site.request().build());

    try (Stream<Path> all = Files.walk(site.root())) {
      assertThat(all.filter(p -> p.toString().endsWith(".html"))).containsExactly(site.out.resolve("a/p.html"));
    }
  }

  @Test
  void aTamperedStateFileCannotRemoveAFileOutsideTheOutputDirectory() throws Exception {
    Path victim = Files.writeString(site.root().resolve("victim.html"), "precious");
    site.write("a.md", "a\n");
    new Engine(site.log).render(site.request().build());
    Path state = site.root().resolve("work/htmlize-state.json");
    editState(state, "\"outputPath\":\"a.html\"", "\"outputPath\":\"../victim.html\"");
    Files.delete(site.src.resolve("a.md"));

    assertThat(site.problems(site.request())).containsExactly("a.md: cannot remove the page of a deleted source: the output "
        + "path ../victim.html would be outside the output directory");
    assertThat(victim).hasContent("precious");
  }

  /** A state file with a field missing crashed the build with a NullPointerException; it now counts as no state. */
  @Test
  void aStateFileWithAMissingFieldMeansRenderingEverything() throws Exception {
    site.write("a.md", "a\n");
    site.write("b.md", "b\n");
    new Engine(site.log).render(site.request().build());
    Path state = site.root().resolve("work/htmlize-state.json");
    editState(state, "\"outputPath\":\"b.html\"", "\"outputPath\":null");
    Files.delete(site.src.resolve("b.md"));

    RenderSummary summary = new Engine(site.log).render(site.request().build());

    assertThat(summary.rendered()).isEqualTo(1);
    assertThat(site.out.resolve("a.html")).hasContent("<p>a</p>");
  }

  /** Edits the state file as a hand would: every occurrence of {@code from} (which must be there) becomes {@code to}. */
  private static void editState(Path state, String from, String to) throws IOException {
    String json = Files.readString(state);
    assertThat(json).contains(from);
    Files.writeString(state, json.replace(from, to));
  }
}
