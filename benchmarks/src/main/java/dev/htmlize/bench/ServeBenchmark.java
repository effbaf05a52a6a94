package dev.htmlize.bench;

import dev.htmlize.engine.Engine;
import dev.htmlize.engine.EngineLog;
import dev.htmlize.engine.Layout;
import dev.htmlize.engine.LiveSite;
import dev.htmlize.engine.RenderRequest;
import dev.htmlize.serve.Preview;
import dev.htmlize.serve.PreviewServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The preview's edit loop on the generated site with the four Java sample plugins running: from the save of one page
 * to the new page served over HTTP (the page's event seen, as a browser tab sees it, then the page fetched), for a
 * body edit and for a title edit (which renders every page's menu); beside it, in the same run, a full render of the
 * same site in this JVM. Prints a Markdown report.
 */
public final class ServeBenchmark {
  private ServeBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int pages = 2000;
    int edits = 40;
    Path work = Path.of(System.getProperty("htmlize.bench.work", "target/bench-work")).resolve("serve");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pages" -> pages = Integer.parseInt(args[++i]);
        case "--edits" -> edits = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SiteBenchmark.deleteTree(work);
    Path src = work.resolve("src");
    SiteGenerator.generate(src, pages, 42);
    List<String> sources;
    try (var files = Files.walk(src)) {
      sources = files.filter(Files::isRegularFile).map(f -> src.relativize(f).toString()).sorted().toList();
    }
    EngineLog quiet = SiteBenchmark.QUIET;

    // A full render with the plugins, in this JVM, twice (the second with a warm JVM).
    double[] full = new double[2];
    for (int round = 0; round < 2; round++) {
      Path dir = work.resolve("full-" + round);
      long start = System.nanoTime();
      new Engine(quiet).render(request(src, dir).build());
      full[round] = (System.nanoTime() - start) / 1e6;
    }

    RenderRequest request = request(src, work.resolve("serve")).build();
    long startServe = System.nanoTime();
    try (Preview preview = Preview.start(new LiveSite(request, quiet), List.of(src), "127.0.0.1", 0, quiet)) {
      double firstRender = (System.nanoTime() - startServe) / 1e6;
      HttpClient http = HttpClient.newHttpClient();
      BlockingQueue<List<String>> events = events(http, preview.port());
      List<Double> bodyTotal = new ArrayList<>();
      List<Double> bodyRender = new ArrayList<>();
      for (int i = 0; i < edits + 5; i++) {
        String source = sources.get((i * 37) % sources.size());
        Path file = src.resolve(source);
        String text = Files.readString(file);
        String marker = "edit-" + i;
        long t0 = System.nanoTime();
        Files.writeString(file, text + "\n" + marker + "\n");
        String page = source.substring(0, source.lastIndexOf('.')) + ".html";
        awaitEvent(events, page);
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + preview.port() + "/" + page))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        long t1 = System.nanoTime();
        if (!body.contains(marker)) {
          throw new IllegalStateException(page + " was served without its edit");
        }
        if (i >= 5) { // the first edits warm the JVM up
          bodyTotal.add((t1 - t0) / 1e6);
          bodyRender.add(preview.last().time().toNanos() / 1e6);
        }
      }
      List<Double> titleTotal = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String source = sources.get(i * 11);
        Path file = src.resolve(source);
        String text = Files.readString(file);
        long t0 = System.nanoTime();
        Files.writeString(file, "---\ntitle: Retitled " + i + "\n---\n" + text.replaceFirst("(?s)^---\n.*?\n---\n", ""));
        String page = source.substring(0, source.lastIndexOf('.')) + ".html";
        awaitEvent(events, page);
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + preview.port() + "/" + page)).build(),
            HttpResponse.BodyHandlers.ofString());
        titleTotal.add((System.nanoTime() - t0) / 1e6);
      }
      System.out.println(report(pages, full, firstRender, bodyTotal, bodyRender, titleTotal));
    }
  }

  private static RenderRequest.Builder request(Path src, Path dir) {
    return SiteBenchmark.withSamplePlugins(RenderRequest.builder(src, dir.resolve("out"), dir.resolve("work"))
        .layout(new Layout.Default()).siteTitle("Benchmark"));
  }

  private static BlockingQueue<List<String>> events(HttpClient http, int port) throws Exception {
    BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + PreviewServer.EVENTS)).build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> {
      List<String> data = new ArrayList<>();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data: ")) {
            data.add(line.substring(6));
          } else if (line.isEmpty() && !data.isEmpty()) {
            events.add(List.copyOf(data));
            data = new ArrayList<>();
          }
        }
      } catch (java.io.IOException e) {
        // Closed.
      }
    }, "bench-events");
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  private static void awaitEvent(BlockingQueue<List<String>> events, String page) throws InterruptedException {
    while (true) {
      List<String> event = events.poll(60, TimeUnit.SECONDS);
      if (event == null) {
        throw new IllegalStateException("no event for " + page + " within a minute");
      }
      if (event.contains(page) || event.contains("*")) {
        return;
      }
    }
  }

  private static String report(int pages, double[] full, double firstRender, List<Double> bodyTotal,
                               List<Double> bodyRender, List<Double> titleTotal) {
    Stats total = Stats.of(bodyTotal);
    Stats render = Stats.of(bodyRender);
    Stats title = Stats.of(titleTotal);
    return String.format(Locale.ROOT, """
        ## Preview (htmlize:serve), %d pages, the four Java sample plugins running

        | what | median | p95 | min | max |
        |---|---|---|---|---|
        | one page's body edited: save to the new page served | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        | of that, the render (scan, plan, the page through four plugins, write, link check, state) | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        | one page's title edited (every page's menu rendered again): save to served | %.1f ms | %.1f ms | %.1f ms | %.1f ms |

        In the same run: a full render of the site with the same plugins took %.0f ms in a fresh engine (%.0f ms the
        second time, in a warm JVM); the preview's first render took %.0f ms. The rest of an edit's time (the
        difference of the first two rows) is the file event's latency (inotify through the JDK's WatchService), the
        event to the page and the HTTP request.
        """, pages, total.median(), p95(bodyTotal), total.min(), total.max(), render.median(), p95(bodyRender),
        render.min(), render.max(), title.median(), p95(titleTotal), title.min(), title.max(), full[0], full[1],
        firstRender);
  }

  /** The 95th percentile (nearest rank). */
  private static double p95(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(Math.max(0, (int) Math.ceil(0.95 * sorted.size()) - 1));
  }
}
