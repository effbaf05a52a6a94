package dev.htmlize.serve;

import dev.htmlize.engine.EngineLog;
import dev.htmlize.engine.LiveSite;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A live preview: the site rendered once, served ({@link PreviewServer}), and rendered again on every change of the
 * watched trees ({@link SourceWatcher}) by one thread, so that no page is ever rendered twice at once; after each
 * render, the tabs showing a page that changed reload. Changes that come while a render runs make one more render when
 * it ends, so the last render always sees the last change. {@link #close()} stops the watching, the server and the
 * plugins.
 */
public final class Preview implements AutoCloseable {
  private final LiveSite site;
  private final PreviewServer server;
  private final SourceWatcher watcher;
  private final EngineLog log;
  private final Thread renderer;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile LiveSite.Update last;

  private Preview(LiveSite site, PreviewServer server, SourceWatcher watcher, EngineLog log) {
    this.site = site;
    this.server = server;
    this.watcher = watcher;
    this.log = log;
    this.renderer = new Thread(this::renderOnChanges, "htmlize-serve-render");
    this.renderer.setDaemon(true);
  }

  /**
   * Renders the site, starts serving it, and starts watching.
   *
   * @param watched the trees whose changes render again (sources, layouts)
   * @throws java.net.BindException if the port is taken
   */
  public static Preview start(LiveSite site, List<Path> watched, String host, int port, EngineLog log)
      throws IOException {
    SourceWatcher watcher = new SourceWatcher(watched);
    PreviewServer server;
    try {
      server = PreviewServer.start(site.outputDirectory(), host, port);
    } catch (IOException e) {
      watcher.close();
      throw e;
    }
    Preview preview = new Preview(site, server, watcher, log);
    preview.publish(site.render());
    preview.renderer.start();
    return preview;
  }

  /** The port it serves on. */
  public int port() {
    return server.port();
  }

  /** The address to open. */
  public URI address(String host) {
    return server.address(host);
  }

  /** The last render's update. */
  public LiveSite.Update last() {
    return last;
  }

  private void renderOnChanges() {
    try {
      for (SourceWatcher.Change change = watcher.awaitChange(); change != null; change = watcher.awaitChange()) {
        try {
          publish(change.structural() ? site.render() : site.render(change.modified()));
        } catch (RuntimeException e) {
          log.error("htmlize: the preview could not render (internal error: " + e + "); it renders again at the "
              + "next change");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publish(LiveSite.Update update) {
    last = update;
    server.problems(update.problems());
    if (!update.changed().isEmpty()) {
      server.changed(update.changed());
    }
    site.saveState();
    if (!update.ok()) {
      log.warn("htmlize: the preview shows the problems above in their pages; it renders again when a source "
          + "changes");
    }
  }

  /** Waits until the preview is closed. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    renderer.interrupt();
    try {
      renderer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    site.close();
    closed.countDown();
  }
}
