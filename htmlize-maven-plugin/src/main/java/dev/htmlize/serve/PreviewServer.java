package dev.htmlize.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.htmlize.engine.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The preview's HTTP server, on the JDK's {@code com.sun.net.httpserver}: serves the files of the output directory, and
 * only those ({@code ..}, encoded or not, backslashes, and symbolic links leading out are refused; a directory is its
 * {@code index.html} or nothing, never a listing), with their content types; a page whose source has a problem is an
 * error page with the problem. To each HTML page as served (never to the file) it adds a small script that listens on
 * {@code /_htmlize/events} (server-sent events) and reloads the page when it changed. Thread-safe.
 */
public final class PreviewServer implements AutoCloseable {
  /** The path of the server-sent events that tell open pages what changed. */
  public static final String EVENTS = "/_htmlize/events";
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
      Map.entry("xml", "application/xml"), Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
      Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"), Map.entry("pdf", "application/pdf"),
      Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
      Map.entry("otf", "font/otf"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
      Map.entry("mp3", "audio/mpeg"), Map.entry("wasm", "application/wasm"));

  private final Path root;
  private final HttpServer server;
  private final ExecutorService threads;
  private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, List<Problem>> problems = Map.of();

  private PreviewServer(Path root, HttpServer server, ExecutorService threads) {
    this.root = root;
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving.
   *
   * @param port 0 for a free one
   * @throws java.net.BindException if the port is taken
   */
  public static PreviewServer start(Path outputDirectory, String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "htmlize-serve-http");
      thread.setDaemon(true);
      return thread;
    });
    PreviewServer preview = new PreviewServer(outputDirectory.toAbsolutePath().normalize(), server, threads);
    server.createContext("/", preview::handle);
    server.setExecutor(threads);
    server.start();
    return preview;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The problems to show, by output path ({@code ""}: the whole site's), as the last render found them. */
  public void problems(Map<String, List<Problem>> byPage) {
    this.problems = Map.copyOf(byPage);
  }

  /** Tells every open page what changed: a tab showing one of these reloads ({@code *}: every tab). */
  public void changed(Set<String> outputs) {
    boolean everything = outputs.stream().anyMatch(path -> !path.endsWith(".html"));
    StringBuilder data = new StringBuilder();
    for (String path : everything ? Set.of("*") : outputs) {
      data.append("data: ").append(path.replace("\n", "")).append('\n');
    }
    byte[] event = (data + "\n").getBytes(StandardCharsets.UTF_8);
    for (OutputStream listener : listeners) {
      try {
        listener.write(event);
        listener.flush();
      } catch (IOException e) {
        listeners.remove(listener);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!allowedHost(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 421, "text/plain; charset=utf-8", "refused: not this preview's address\n"
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      String rawPath = exchange.getRequestURI().getRawPath();
      if (rawPath.equals(EVENTS)) {
        events(exchange);
        return;
      }
      String path = relative(rawPath);
      if (path == null) {
        send(exchange, 403, "text/plain; charset=utf-8", "refused: not a path inside the site\n"
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      Path file = root.resolve(path);
      if (!path.isEmpty() && !rawPath.endsWith("/") && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        exchange.getResponseHeaders().set("Location", rawPath + "/");
        send(exchange, 301, "text/plain; charset=utf-8", new byte[0]);
        return;
      }
      String page = path.isEmpty() || rawPath.endsWith("/") ? (path.isEmpty() ? "" : path + "/") + "index.html" : path;
      List<Problem> wrong = problems.get(page);
      if (wrong != null && (page.endsWith(".html") || page.endsWith(".htm"))) {
        send(exchange, 500, "text/html; charset=utf-8", ErrorPage.of(page, wrong, problems.get(""))
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      Path target = root.resolve(page);
      if (!inside(target) || !Files.isRegularFile(target)) {
        send(exchange, 404, "text/html; charset=utf-8", ErrorPage.notFound(page, problems.get(""))
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] bytes = Files.readAllBytes(target);
      String type = type(page);
      if (type.startsWith("text/html")) {
        bytes = withReloadScript(new String(bytes, StandardCharsets.UTF_8), page).getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      send(exchange, 200, type, bytes);
    } finally {
      if (!exchange.getRequestURI().getRawPath().equals(EVENTS)) {
        exchange.close();
      }
    }
  }

  /**
   * The request's path relative to the output directory ({@code ""} for the root), or {@code null} when it is not a
   * plain path inside it: a part that starts with a dot ({@code ..}, {@code .git}; encoded or not), a backslash, a NUL,
   * a drive or an empty part.
   */
  static String relative(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0 || decoded.contains(":")) {
      return null;
    }
    String path = decoded.substring(1);
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return "";
    }
    for (String part : path.split("/", -1)) {
      // htmlize writes no hidden file; one there (.git of a clone, say) is not served.
      if (part.isEmpty() || part.startsWith(".")) {
        return null;
      }
    }
    return path;
  }

  /**
   * Whether a request's {@code Host} names this preview: its address, or {@code localhost}, with its port. A page on
   * another site cannot read the preview by pointing its own name at this machine (DNS rebinding).
   */
  private boolean allowedHost(String host) {
    if (host == null) {
      return true; // HTTP/1.0
    }
    String name = host.strip().toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > 0 && name.indexOf(']') < colon) {
      name = name.substring(0, colon);
    }
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    String bound = server.getAddress().getAddress().getHostAddress().toLowerCase(Locale.ROOT);
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("::1") || name.equals(bound)
        || name.equals(server.getAddress().getHostString().toLowerCase(Locale.ROOT))
        || !server.getAddress().getAddress().isLoopbackAddress();
  }

  /** Whether a file is inside the output directory once its symbolic links are followed. */
  private boolean inside(Path file) {
    try {
      return Files.exists(file) && file.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private static String type(String path) {
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }

  /** The page with the reload script before its last {@code </body>} (or at its end), as the preview serves it. */
  public static String withReloadScript(String html, String page) {
    String script = ReloadScript.forPage(page);
    int end = html.length() - "</body>".length();
    while (end >= 0 && !html.regionMatches(true, end, "</body>", 0, "</body>".length())) {
      end--;
    }
    return end < 0 ? html + script : html.substring(0, end) + script + html.substring(end);
  }

  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(": htmlize\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    listeners.add(out);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The address to open, such as {@code http://127.0.0.1:8150/}. */
  public URI address(String host) {
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
  }

  @Override
  public void close() {
    for (OutputStream listener : listeners) {
      try {
        listener.close();
      } catch (IOException e) {
        // Gone already.
      }
    }
    server.stop(0);
    threads.shutdownNow();
  }
}
