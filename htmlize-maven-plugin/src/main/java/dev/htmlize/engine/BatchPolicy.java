package dev.htmlize.engine;

import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How pages are grouped, in one place: the batches the engine renders together (one plugin call per plugin for all
 * of them), and how many of a batch's pages go in one call to a given plugin. A call carries at most
 * {@link #MAX_PAGES} pages and about {@link #MAX_BYTES} bytes (a larger page goes alone), well under gRPC's usual
 * 4 MB message limit, and as many pages as that plugin rendered in about {@link #TARGET_CALL_NANOS} last time (one
 * page before its first answer), so a slow plugin gets one page per call, each within {@code callTimeout}.
 */
final class BatchPolicy {
  /** At most this many pages render together, and go in one call. */
  static final int MAX_PAGES = 64;
  /** A batch, and a call, holds at most about this many bytes, unless one page is larger. */
  static final long MAX_BYTES = 1L << 20;
  /** A call is sized to take about this long, from the plugin's time per page in its latest call. */
  static final long TARGET_CALL_NANOS = 200_000_000L;
  /**
   * A plugin without the batch calls gets at most this many calls at once from each render thread, so that calls
   * queued in a plugin that serves one at a time do not wait out their deadline.
   */
  static final int CALLS_IN_FLIGHT = 4;

  private BatchPolicy() {
  }

  /**
   * The engine's batches: small enough that every render thread gets about two and that a batch's pages fit in
   * memory together, large enough that each plugin call carries many pages.
   */
  static <T> List<List<T>> batches(List<T> pages, ToLongFunction<T> bytes, int threads) {
    int size = Math.max(1, Math.min(MAX_PAGES, (pages.size() + 2 * threads - 1) / (2 * threads)));
    List<List<T>> batches = new ArrayList<>();
    List<T> batch = new ArrayList<>();
    long total = 0;
    for (T page : pages) {
      long pageBytes = bytes.applyAsLong(page);
      if (!batch.isEmpty() && (batch.size() >= size || total + pageBytes > MAX_BYTES)) {
        batches.add(batch);
        batch = new ArrayList<>();
        total = 0;
      }
      batch.add(page);
      total += pageBytes;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /**
   * Where the call that starts at {@code from} ends, for a plugin that took {@code nanosPerPage} per page in its
   * latest call (0: none yet).
   */
  static int callEnd(List<? extends MessageLite> requests, int from, long nanosPerPage) {
    int pages = nanosPerPage == 0 ? 1 : (int) Math.max(1, Math.min(MAX_PAGES, TARGET_CALL_NANOS / nanosPerPage));
    long bytes = 0;
    int to = from;
    while (to < requests.size() && to - from < pages) {
      int size = requests.get(to).getSerializedSize();
      if (to > from && bytes + size > MAX_BYTES) {
        break;
      }
      bytes += size;
      to++;
    }
    return to;
  }

  /**
   * A call's time per page, to size the next call: the latest call's alone, since a plugin's first calls are slow
   * while its JVM warms up and the next call should not pay for them.
   */
  static long nanosPerPage(long nanos, int pages) {
    return Math.max(1, nanos / Math.max(1, pages));
  }
}
