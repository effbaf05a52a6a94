package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, end to end through the engine: each is an error naming the file (and line, or byte offset), the other
 * pages still render, sources are never written, and nothing is written outside the output directory.
 */
class BadInputTest {
  @TempDir
  Path temp;

  private Path src;
  private Path out;
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void directories() throws IOException {
    src = Files.createDirectories(temp.resolve("src"));
    out = temp.resolve("out");
  }

  private RenderRequest.Builder request() {
    return RenderRequest.builder(src, out, temp.resolve("work")).layout(new Layout.None());
  }

  private void write(String path, String content) throws IOException {
    write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String path, byte[] content) throws IOException {
    Path file = src.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private List<String> problems(RenderRequest.Builder request) {
    try {
      new Engine(log).render(request.build());
    } catch (RenderException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("the build did not fail");
  }

  /** Every source file's bytes, to show that a build wrote none. */
  private Map<Path, byte[]> sourceSnapshot() throws IOException {
    Map<Path, byte[]> snapshot = new HashMap<>();
    try (Stream<Path> files = Files.walk(src)) {
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
    write("good.md", "fine\n");
    write("continuation.md", bytes("one\ntwo\nthr", new int[] {0x80}, "ee\n"));
    write("overlong.md", bytes("a\n", new int[] {0xc0, 0xaf}, "\n"));
    write("surrogate.txt", bytes("x", new int[] {0xed, 0xa0, 0x80}, ""));
    write("truncated.md", bytes("caf", new int[] {0xc3}, ""));
    write("too-high.md", bytes("\n\n\n", new int[] {0xf5, 0x80, 0x80, 0x80}, ""));
    Map<Path, byte[]> before = sourceSnapshot();

    assertThat(problems(request())).containsExactly(
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
    assertThat(Files.readString(out.resolve("good.html"))).isEqualTo("<p>fine</p>\n");
    try (Stream<Path> pages = Files.list(out)) {
      assertThat(pages.map(p -> p.getFileName().toString())).containsExactly("good.html");
    }
    assertSourcesUnchanged(before);
  }

  @Test
  void aHundredMegabyteSourceIsRefusedNamingItWithoutBeingRead() throws Exception {
    write("small.md", "small\n");
    Path big = src.resolve("big.md");
    byte[] line = "A line of a generated Markdown file, repeated until it is a hundred megabytes long.\n"
        .getBytes(StandardCharsets.UTF_8);
    try (OutputStream stream = Files.newOutputStream(big)) {
      for (long written = 0; written < 100L * 1024 * 1024; written += line.length) {
        stream.write(line);
      }
    }
    long size = Files.size(big);

    List<String> problems = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> problems(request()));

    assertThat(problems).containsExactly("big.md: " + size + " bytes, more than maxSourceSize (10485760 bytes); "
        + "exclude it, split it, or raise maxSourceSize");
    assertThat(out.resolve("small.html")).hasContent("<p>small</p>");
    assertThat(out.resolve("big.html")).doesNotExist();
  }

  @Test
  void theSizeLimitCountsBytesAndCanBeRaised() throws Exception {
    write("exact.md", "x".repeat(99) + "\n");
    write("over.md", "x".repeat(100) + "\n");

    assertThat(problems(request().maxSourceSize(100))).containsExactly(
        "over.md: 101 bytes, more than maxSourceSize (100 bytes); exclude it, split it, or raise maxSourceSize");
    assertThat(out.resolve("exact.html")).exists();

    new Engine(log).render(request().maxSourceSize(101).build());
    assertThat(out.resolve("over.html")).exists();
  }

  @Test
  void aBinaryFileMatchedByTheIncludesIsAnErrorNamingIt() throws Exception {
    write("good.md", "fine\n");
    // A PNG's signature and the start of its header chunk, named as Markdown.
    write("logo.md", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'});
    // A NUL past the first 8 KiB, where the quick check does not look.
    write("late.txt", bytes("x\n".repeat(5000), new int[] {0}, "tail\n"));
    write("utf16.md", "# Title\n".getBytes(StandardCharsets.UTF_16LE));
    Map<Path, byte[]> before = sourceSnapshot();

    assertThat(problems(request().includes(List.of("**/*.md", "**/*.txt")))).containsExactly(
        "late.txt:5001: a NUL character at byte offset 10000: binary data (or text in another encoding, such as "
            + "UTF-16), not markup; exclude the file or set the encoding parameter",
        "logo.md: looks like a binary file (it has NUL bytes), not markup; exclude it",
        "utf16.md: looks like a binary file (it has NUL bytes), not markup; exclude it");
    assertThat(out.resolve("good.html")).exists();
    assertThat(out.resolve("logo.html")).doesNotExist();
    assertThat(out.resolve("late.html")).doesNotExist();
    assertSourcesUnchanged(before);
  }

  @Test
  void malformedFrontMatterNamesThePathAndTheLine() throws Exception {
    write("good.md", "---\ntitle: Good\n---\nfine\n");
    write("flow.md", "---\ntitle: T\ntags: [a, b\nauthor: A\n---\nbody\n");
    write("list.md", "---\n- a\n- b\n---\nbody\n");
    write("duplicate.md", "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nbody\n");
    write("tab.md", "---\ntitle: T\nextra:\n\tkey: v\n---\nbody\n");
    write("alias.md", "---\ntitle: T\nsee: *nowhere\n---\nbody\n");
    write("unclosed.txt", "---\ntitle: T\n\nbody that never closes the front matter\n");
    write("deep.md", "---\nk: " + "{a: ".repeat(20) + "1" + "}".repeat(20) + "\n---\nbody\n");
    write("key.md", "---\ntitle: T\n[a, b]: c\n---\nbody\n");

    List<String> problems = problems(request());

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
    assertThat(out.resolve("good.html")).hasContent("<p>fine</p>");
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
      write(page.getKey(), page.getValue());
    }

    RenderSummary summary = assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> new Engine(log).render(request().threads(2).build()));

    assertThat(summary.rendered()).isEqualTo(pages.size());
    for (String source : pages.keySet()) {
      assertThat(Files.readString(out.resolve(Engine.outputPathOf(source)))).as(source).contains("deep");
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
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("victim.html"), "precious");
    Files.createDirectories(out);
    Files.createSymbolicLink(out.resolve("p.html"), victim);
    write("p.md", "overwrite?\n");

    assertThat(problems(request())).containsExactly(
        "p.md: cannot write p.html: the output file p.html is a symbolic link; refusing to write through it");
    assertThat(victim).hasContent("precious");
    assertThat(outside).isDirectoryContaining(p -> true).isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
  }

  @Test
  void symbolicLinksInTheSourceTreeNeverLeadOutputOutside() throws Exception {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("linked-dir-page.md"), "from a linked directory\n");
    Path outsideFile = Files.writeString(temp.resolve("outside-file.md"), "from a linked file\n");
    Files.createSymbolicLink(src.resolve("up"), temp);
    Files.createSymbolicLink(src.resolve("dir"), elsewhere);
    Files.createSymbolicLink(src.resolve("file.md"), outsideFile);
    write("page.md", "plain\n");

    new Engine(log).render(request().build());

    // Linked directories are not walked (no loop through "up", nothing of "elsewhere"); a linked file is a page.
    try (Stream<Path> written = Files.walk(out)) {
      assertThat(written.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()))
          .containsExactlyInAnyOrder("file.html", "page.html");
    }
    try (Stream<Path> all = Files.walk(temp)) {
      assertThat(all.filter(p -> p.toString().endsWith(".html")).filter(p -> !p.startsWith(out))).isEmpty();
    }
  }

  @Test
  void frontMatterCannotChooseWhereAPageIsWritten() throws Exception {
    write("a/p.md", "---\noutput: ../../escaped.html\npermalink: /etc/passwd\npath: ../x.html\nurl: ..\n---\nx\n");

    new Engine(log).render(request().build());

    try (Stream<Path> all = Files.walk(temp)) {
      assertThat(all.filter(p -> p.toString().endsWith(".html"))).containsExactly(out.resolve("a/p.html"));
    }
  }

  @Test
  void aTamperedStateFileCannotRemoveAFileOutsideTheOutputDirectory() throws Exception {
    Path victim = Files.writeString(temp.resolve("victim.html"), "precious");
    write("a.md", "a\n");
    new Engine(log).render(request().build());
    Path state = temp.resolve("work/htmlize-state.json");
    editState(state, "\"outputPath\":\"a.html\"", "\"outputPath\":\"../victim.html\"");
    Files.delete(src.resolve("a.md"));

    assertThat(problems(request())).containsExactly("a.md: cannot remove the page of a deleted source: the output "
        + "path ../victim.html would be outside the output directory");
    assertThat(victim).hasContent("precious");
  }

  /** A state file with a field missing crashed the build with a NullPointerException; it now counts as no state. */
  @Test
  void aStateFileWithAMissingFieldMeansRenderingEverything() throws Exception {
    write("a.md", "a\n");
    write("b.md", "b\n");
    new Engine(log).render(request().build());
    Path state = temp.resolve("work/htmlize-state.json");
    editState(state, "\"outputPath\":\"b.html\"", "\"outputPath\":null");
    Files.delete(src.resolve("b.md"));

    RenderSummary summary = new Engine(log).render(request().build());

    assertThat(summary.rendered()).isEqualTo(1);
    assertThat(out.resolve("a.html")).hasContent("<p>a</p>");
  }

  /** Edits the state file as a hand would: every occurrence of {@code from} (which must be there) becomes {@code to}. */
  private static void editState(Path state, String from, String to) throws IOException {
    String json = Files.readString(state);
    assertThat(json).contains(from);
    Files.writeString(state, json.replace(from, to));
  }
}
