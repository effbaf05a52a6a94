package dev.htmlize.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a build found wrong, collected from every thread as it goes, and the sources that vanished while it ran (not
 * problems: such a source is gone, as if deleted before the build). Thread-safe.
 */
final class Problems {
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> vanished = ConcurrentHashMap.newKeySet();

  synchronized void add(Problem problem) {
    problems.add(problem);
  }

  synchronized boolean isEmpty() {
    return problems.isEmpty();
  }

  /** The problems so far, by place and line. */
  synchronized List<Problem> sorted() {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparing(Problem::where).thenComparingInt(Problem::line));
    return sorted;
  }

  /** A source that was listed but is gone by the time it is read. */
  void vanished(String source) {
    vanished.add(source);
  }

  Set<String> vanished() {
    return Set.copyOf(vanished);
  }
}
