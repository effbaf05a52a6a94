package dev.htmlize.engine;

import java.util.List;
import java.util.stream.Collectors;

/** The build failed: every problem found, each with its place. */
public final class RenderException extends Exception {
  private final List<Problem> problems;

  public RenderException(List<Problem> problems) {
    super(problems.size() == 1 ? problems.get(0).toString()
        : problems.size() + " problems:\n" + problems.stream().map(Problem::toString)
            .collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
