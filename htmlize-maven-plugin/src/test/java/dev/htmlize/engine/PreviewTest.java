package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.serve.Preview;
import dev.htmlize.serve.PreviewServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The preview end to end: a real site with a real plugin process, served over real HTTP, its sources edited on disk,
 * the new pages read back; the server's events (what a browser tab listens to) read as a browser reads them.
 */
class PreviewTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RecordingLog log = new RecordingLog();
  private Path root;
  private Path src;
  private Path out;
  private Preview preview;
  private Events events;

  @BeforeEach
  void site() throws Exception {
    root = Files.createDirectories(Path.of("target", "preview-tests")).toAbsolutePath();
    root = Files.createTempDirectory(root, "site-");
    src = Files.createDirectories(root.resolve("src"));
    Files.createDirectories(root.resolve("layouts"));
    out = root.resolve("out");
    write("index.md", "---\ntitle: Home\n---\n# Home\n\nSee :tt:`code` and [the guide](docs/guide.html).\n");
    write("docs/guide.md", "---\ntitle: Guide\n---\n# Guide\n\nFirst version.\n");
    write("docs/other.md", "---\ntitle: Other\n---\n# Other\n");
    write("img/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  }

  @AfterEach
  void stop() throws IOException {
    if (events != null) {
      events.close();
    }
    if (preview != null) {
      preview.close();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Writes a source as many editors save: a new file moved over the old, so that no half-written one is seen. */
  private void write(String path, String text) throws IOException {
    Path file = src.resolve(path);
    Files.createDirectories(file.getParent());
    Path temp = Files.writeString(Files.createTempFile(root, "edit-", ".tmp"), text, StandardCharsets.UTF_8);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private void start(PluginSpec... plugins) throws Exception {
    RenderRequest.Builder request = RenderRequest.builder(src, out, root.resolve("work")).layout(new Layout.Default())
        .siteTitle("Preview").layoutDirectory(root.resolve("layouts"));
    for (PluginSpec plugin : plugins) {
      request.plugin(plugin);
    }
    LiveSite site = new LiveSite(request.build(), log);
    preview = Preview.start(site, List.of(src, root.resolve("layouts")), "127.0.0.1", 0, log);
    events = new Events(URI.create("http://127.0.0.1:" + preview.port() + PreviewServer.EVENTS));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + preview.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheSiteWithTheReloadScriptAddedAsServedOnlyAndAnEditReloadsItsPage() throws Exception {
    start(TestPlugins.tt());

    HttpResponse<String> home = get("/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    Document page = Jsoup.parse(home.body());
    assertThat(page.selectFirst("article tt").text()).isEqualTo("code");
    assertThat(page.select("script").last().data()).contains("EventSource", "\"index.html\"");
    assertThat(Files.readString(out.resolve("index.html"))).as("the file as render writes it")
        .doesNotContain("EventSource");
    assertThat(get("/img/a.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(get("/htmlize.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");

    write("docs/guide.md", "---\ntitle: Guide\n---\n# Guide\n\nSecond version.\n");

    assertThat(events.next()).isEqualTo("docs/guide.html");
    assertThat(Jsoup.parse(get("/docs/guide.html").body()).selectFirst("article p").text())
        .isEqualTo("Second version.");
    assertThat(preview.last().summary().rendered()).as("only the page whose body changed").isEqualTo(1);

    // A title: the menus of the pages of its section change too, so their tabs reload.
    write("docs/guide.md", "---\ntitle: The guide\n---\n# Guide\n\nSecond version.\n");
    assertThat(events.nextBatch()).contains("docs/guide.html", "docs/other.html");
    assertThat(Jsoup.parse(get("/docs/other.html").body()).select(".section-nav a").eachText())
        .containsExactly("Other", "The guide");
  }

  @Test
  void aPageWithBadInputIsAnErrorPageUntilItsSourceIsFixedAndADeletedOneGoes() throws Exception {
    start();
    write("docs/guide.md", "---\ntitle: [unclosed\n---\n");

    // The page is out of the site (and its menus) until it is fixed.
    assertThat(events.nextBatch()).contains("docs/guide.html", "docs/other.html");
    HttpResponse<String> broken = get("/docs/guide.html");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(Jsoup.parse(broken.body()).selectFirst(".problems code").text()).startsWith("docs/guide.md:3: ");
    assertThat(log.error).anyMatch(line -> line.startsWith("docs/guide.md:3: "));

    write("docs/guide.md", "---\ntitle: Guide\n---\nFixed.\n");
    assertThat(events.nextBatch()).contains("docs/guide.html");
    assertThat(get("/docs/guide.html").statusCode()).isEqualTo(200);

    Files.delete(src.resolve("docs/guide.md"));
    assertThat(events.nextBatch()).contains("docs/guide.html");
    assertThat(get("/docs/guide.html").statusCode()).isEqualTo(404);
    write("docs/new.md", "# New\n");
    assertThat(events.nextBatch()).contains("docs/new.html");
    assertThat(get("/docs/new.html").statusCode()).isEqualTo(200);
  }

  @Test
  void servesOnlyFilesInsideTheOutputDirectoryAndNoListings() throws Exception {
    Path outside = Files.writeString(root.resolve("secret.txt"), "secret");
    start();
    Files.createSymbolicLink(out.resolve("link.txt"), outside);
    Files.writeString(Files.createDirectories(out.resolve(".git")).resolve("config"), "[remote] url = secret");

    for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/docs/%2E%2E/%2e%2e/secret.txt",
        "/docs/..%5c..%5csecret.txt", "/%5c..%5csecret.txt", "//etc/passwd", "/C:/secret.txt", "/.git/config",
        "/%2egit/config")) {
      int status = raw(path, "127.0.0.1");
      assertThat(status).as(path).isIn(400, 403, 404);
    }
    assertThat(get("/link.txt").statusCode()).as("a symbolic link leading out").isEqualTo(404);
    assertThat(raw("/index.html", "localhost:" + preview.port())).isEqualTo(200);
    assertThat(raw("/index.html", "rebound.example:" + preview.port())).as("another site's name for this machine")
        .isEqualTo(421);
    assertThat(get("/img/").statusCode()).as("no listing").isEqualTo(404);
    assertThat(get("/docs").statusCode()).isEqualTo(301);
    assertThat(get("/docs/guide.html").statusCode()).isEqualTo(200);
  }

  @Test
  void aFloodOfChangesEndsWithEveryPageAsItsLastSource() throws Exception {
    start(TestPlugins.tt());
    for (int i = 0; i < 40; i++) {
      write("docs/guide.md", "# Guide\n\nVersion :tt:`" + i + "`.\n");
    }
    List<String> added = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      write("many/p" + i + ".md", "# Page " + i + "\n");
      added.add("many/p" + i + ".html");
    }
    write("docs/guide.md", "# Guide\n\nVersion :tt:`last`.\n");

    // Every change is rendered by the time the renders catch up: wait until the last page is served as written.
    List<String> seen = new ArrayList<>();
    while (!seen.containsAll(added) || !seen.contains("docs/guide.html")
        || !Jsoup.parse(get("/docs/guide.html").body()).select("article tt").text().equals("last")) {
      seen.addAll(events.nextBatch());
    }
    for (String page : added) {
      assertThat(Files.readString(out.resolve(page))).contains("Page " + page.replaceAll("\\D", ""));
    }
    assertThat(Jsoup.parse(get("/docs/guide.html").body()).select("article tt").text()).isEqualTo("last");
  }

  @Test
  void theReloadScriptGoesBeforeTheLastBodyEndWhateverTheTextBefore() {
    String page = "<p>İstanbul İzmir</p></BODY></html>";

    String served = PreviewServer.withReloadScript(page, "a.html");

    assertThat(served).startsWith("<p>İstanbul İzmir</p><script>").endsWith("</script>\n</BODY></html>");
  }

  /** The status of a request sent as written, byte for byte, past any client's normalization of the path. */
  private int raw(String path, String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", preview.port())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
          .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  /** The server's event stream, read as a browser's EventSource reads it: one event, its data lines. */
  static final class Events implements AutoCloseable {
    private final BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final HttpClient client = HttpClient.newHttpClient();

    Events(URI uri) throws Exception {
      HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
      reader = new Thread(() -> {
        List<String> data = new ArrayList<>();
        try {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data: ")) {
              data.add(line.substring(6));
            } else if (line.isEmpty() && !data.isEmpty()) {
              events.add(List.copyOf(data));
              data.clear();
            }
          }
        } catch (IOException e) {
          // Closed.
        }
      }, "test-events");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next event's paths. */
    List<String> nextBatch() throws InterruptedException {
      List<String> batch = events.poll(60, TimeUnit.SECONDS);
      assertThat(batch).as("an event within a minute").isNotNull();
      return batch;
    }

    /** The next event, which names one path. */
    String next() throws InterruptedException {
      return nextBatch().stream().reduce((a, b) -> a + "," + b).orElseThrow();
    }

    @Override
    public void close() {
      reader.interrupt();
    }
  }
}
