package dev.htmlize.engine;

import dev.htmlize.goplugin.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The engine's threads: work on items in parallel, and work in the background. All daemon threads. */
final class Parallel {
  private Parallel() {
  }

  /**
   * The work's results on each item, in order, on up to {@code threads} threads named {@code name-N}; for an item
   * whose work threw, what {@code failed} makes of it.
   *
   * @throws InterruptedException if the caller was interrupted; the work is then cancelled
   */
  static <T, R> List<R> map(List<T> items, int threads, String name, Function<T, R> work,
                            BiFunction<T, Throwable, R> failed) throws InterruptedException {
    if (items.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()),
        DaemonThreads.factory(name + "-"));
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>(items.size());
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          results.add(failed.apply(items.get(i), e.getCause()));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Work on a daemon thread of its own; its result, or what it threw, comes through the future. */
  static <T> CompletableFuture<T> inBackground(String name, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    DaemonThreads.start(name, () -> {
      try {
        result.complete(work.call());
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }
}
