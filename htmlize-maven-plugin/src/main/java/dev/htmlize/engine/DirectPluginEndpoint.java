package dev.htmlize.engine;

import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleException;
import dev.htmlize.plugin.Site;
import dev.htmlize.plugin.SiteService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * An {@link Htmlizer} called in this JVM, without a process or a connection: a plugin loaded {@code inProcess}, and
 * the baseline that benchmarks compare plugin processes against. An exception from the plugin's code fails the call as a process's error would.
 */
final class DirectPluginEndpoint implements PluginEndpoint {
  private final String name;
  private final Htmlizer htmlizer;
  private final AutoCloseable resources;

  DirectPluginEndpoint(String name, Htmlizer htmlizer) {
    this(name, htmlizer, () -> { });
  }

  /** @param resources closed with the endpoint (the class loader of a plugin loaded from its jars) */
  DirectPluginEndpoint(String name, Htmlizer htmlizer, AutoCloseable resources) {
    this.name = name;
    this.htmlizer = htmlizer;
    this.resources = resources;
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.empty();
  }

  @Override
  public List<String> hooks() throws PluginCallException {
    return call(htmlizer::hooks);
  }

  @Override
  public void configure(Map<String, String> properties, Supplier<List<Post>> site) throws PluginCallException {
    call(() -> {
      htmlizer.configure(properties, new InProcessSite(site));
      return Boolean.TRUE;
    });
  }

  @Override
  public List<Answer<List<String>>> processRoles(List<RolesCall> pages) {
    List<Answer<List<String>>> answers = new ArrayList<>(pages.size());
    for (RolesCall page : pages) {
      try {
        answers.add(Answer.of(call(() -> htmlizer.processRoles(page.post(), page.roles()))));
      } catch (PluginCallException e) {
        if (e.getCause() instanceof RoleException role && role.occurrence().isPresent()) {
          answers.add(Answer.failed(new PluginCallException(new PluginFailure(name, OptionalLong.empty(),
              PluginFailure.Kind.CALL, role.getMessage(), role.occurrence()), role)));
        } else {
          answers.add(Answer.failed(e));
        }
      }
    }
    return answers;
  }

  @Override
  public List<Answer<String>> processContents(List<ContentsCall> pages) {
    List<Answer<String>> answers = new ArrayList<>(pages.size());
    for (ContentsCall page : pages) {
      try {
        answers.add(Answer.of(call(() -> htmlizer.processContents(page.html(), page.post()))));
      } catch (PluginCallException e) {
        answers.add(Answer.failed(e));
      }
    }
    return answers;
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      // Nothing of the build's is at stake.
    }
  }

  /** The site as the plugin sees it, without the broker. */
  private static final class InProcessSite implements Site {
    private final Supplier<List<Post>> pages;

    InProcessSite(Supplier<List<Post>> pages) {
      this.pages = pages;
    }

    @Override
    public List<Post> pages() {
      return pages.get().stream().sorted(java.util.Comparator.comparing(Post::sourcePath)).toList();
    }

    @Override
    public Optional<Post> page(String sourcePath) {
      String path = SiteService.normalize(sourcePath);
      return pages.get().stream().filter(p -> p.sourcePath().equals(path)).findFirst();
    }

    @Override
    public Optional<Post> page(long id) {
      return pages.get().stream().filter(p -> p.id() == id).findFirst();
    }
  }

  private <T> T call(Supplier<T> work) throws PluginCallException {
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      throw new PluginCallException(new PluginFailure(name, OptionalLong.empty(), PluginFailure.Kind.CALL,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())), e);
    }
    if (result == null) {
      throw new PluginCallException(new PluginFailure(name, OptionalLong.empty(), PluginFailure.Kind.WRONG_ANSWER,
          "returned null"), null);
    }
    return result;
  }
}
