package dev.htmlize.engine;

import dev.htmlize.goplugin.ReattachConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one render needs: immutable, made with {@link #builder(Path, Path, Path)}. Every default is stated on
 * its builder method.
 */
public final class RenderRequest {
  /** Sources rendered unless {@code includes} says otherwise. */
  public static final List<String> DEFAULT_INCLUDES = List.of("**/*.md", "**/*.markdown", "**/*.txt");
  /** The largest source rendered unless {@code maxSourceSize} says otherwise: 10 MiB. */
  public static final long DEFAULT_MAX_SOURCE_SIZE = 10L * 1024 * 1024;

  private final Path sourceDirectory;
  private final Path outputDirectory;
  private final Path workDirectory;
  private final List<String> includes;
  private final List<String> excludes;
  private final Charset encoding;
  private final Layout layout;
  private final String defaultAuthor;
  private final boolean failOnUnknownRole;
  private final List<PluginSpec> plugins;
  private final int threads;
  private final Duration startTimeout;
  private final Duration callTimeout;
  private final Optional<KeepAlive> keepAlive;
  private final boolean inheritEnvironment;
  private final Map<String, String> hostEnvironment;
  private final String configurationFingerprint;
  private final long maxSourceSize;
  private final Map<String, ReattachConfig> reattach;
  private final boolean force;
  private final List<String> assetExcludes;
  private final Path layoutDirectory;
  private final String siteTitle;
  private final String siteUrl;
  private final String language;
  private final boolean drafts;
  private final int feedSize;
  private final boolean failOnBrokenLinks;

  private RenderRequest(Builder b) {
    this.sourceDirectory = b.sourceDirectory;
    this.outputDirectory = b.outputDirectory;
    this.workDirectory = b.workDirectory;
    this.includes = List.copyOf(b.includes);
    this.excludes = List.copyOf(b.excludes);
    this.encoding = b.encoding;
    this.layout = b.layout;
    this.defaultAuthor = b.defaultAuthor;
    this.failOnUnknownRole = b.failOnUnknownRole;
    this.plugins = List.copyOf(b.plugins);
    this.threads = b.threads;
    this.startTimeout = b.startTimeout;
    this.callTimeout = b.callTimeout;
    this.keepAlive = b.keepAlive;
    this.inheritEnvironment = b.inheritEnvironment;
    this.hostEnvironment = Map.copyOf(b.hostEnvironment);
    this.configurationFingerprint = b.configurationFingerprint;
    this.maxSourceSize = b.maxSourceSize;
    this.reattach = Map.copyOf(b.reattach);
    this.force = b.force;
    this.assetExcludes = List.copyOf(b.assetExcludes);
    this.layoutDirectory = b.layoutDirectory;
    this.siteTitle = b.siteTitle;
    this.siteUrl = b.siteUrl;
    this.language = b.language;
    this.drafts = b.drafts;
    this.feedSize = b.feedSize;
    this.failOnBrokenLinks = b.failOnBrokenLinks;
    for (String name : reattach.keySet()) {
      if (plugins.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException("reattach names plugin \"" + name + "\", which the build does not "
            + "declare; its plugins are " + plugins.stream().map(PluginSpec::name).toList());
      }
    }
  }

  /** This request with other plugins (those it keeps); reattached plugins that are left out are dropped. */
  private RenderRequest(RenderRequest other, List<PluginSpec> plugins, Map<String, ReattachConfig> reattach) {
    this.sourceDirectory = other.sourceDirectory;
    this.outputDirectory = other.outputDirectory;
    this.workDirectory = other.workDirectory;
    this.includes = other.includes;
    this.excludes = other.excludes;
    this.encoding = other.encoding;
    this.layout = other.layout;
    this.defaultAuthor = other.defaultAuthor;
    this.failOnUnknownRole = other.failOnUnknownRole;
    this.plugins = plugins;
    this.threads = other.threads;
    this.startTimeout = other.startTimeout;
    this.callTimeout = other.callTimeout;
    this.keepAlive = other.keepAlive;
    this.inheritEnvironment = other.inheritEnvironment;
    this.hostEnvironment = other.hostEnvironment;
    this.configurationFingerprint = other.configurationFingerprint;
    this.maxSourceSize = other.maxSourceSize;
    this.reattach = Map.copyOf(reattach);
    this.force = other.force;
    this.assetExcludes = other.assetExcludes;
    this.layoutDirectory = other.layoutDirectory;
    this.siteTitle = other.siteTitle;
    this.siteUrl = other.siteUrl;
    this.language = other.language;
    this.drafts = other.drafts;
    this.feedSize = other.feedSize;
    this.failOnBrokenLinks = other.failOnBrokenLinks;
  }

  /** This request without the named plugins (a long-lived render that gave up on a plugin goes on without it). */
  public RenderRequest withoutPlugins(java.util.Set<String> names) {
    Map<String, ReattachConfig> kept = new java.util.LinkedHashMap<>(reattach);
    kept.keySet().removeAll(names);
    return new RenderRequest(this, plugins.stream().filter(p -> !names.contains(p.name())).toList(), kept);
  }

  /** Running plugins to use instead of launching them, by plugin name. */
  public Map<String, ReattachConfig> reattach() {
    return reattach;
  }

  /**
   * A builder.
   *
   * @param sourceDirectory where the sources are; never written
   * @param outputDirectory where the pages go
   * @param workDirectory   where the engine keeps its state (the incremental-build manifest, argument files)
   */
  public static Builder builder(Path sourceDirectory, Path outputDirectory, Path workDirectory) {
    return new Builder(sourceDirectory, outputDirectory, workDirectory);
  }

  public Path sourceDirectory() {
    return sourceDirectory;
  }

  public Path outputDirectory() {
    return outputDirectory;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  public List<String> includes() {
    return includes;
  }

  public List<String> excludes() {
    return excludes;
  }

  public Charset encoding() {
    return encoding;
  }

  public Layout layout() {
    return layout;
  }

  public String defaultAuthor() {
    return defaultAuthor;
  }

  public boolean failOnUnknownRole() {
    return failOnUnknownRole;
  }

  public List<PluginSpec> plugins() {
    return plugins;
  }

  public int threads() {
    return threads;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** Whether plugin JVMs are kept running between builds, how long when idle, and where they are registered. */
  public Optional<KeepAlive> keepAlive() {
    return keepAlive;
  }

  /**
   * Plugin JVMs kept between builds.
   *
   * @param idle      how long a kept plugin JVM waits for a build before it exits by itself
   * @param directory where kept plugin JVMs are registered (made {@code 0700})
   */
  public record KeepAlive(Duration idle, Path directory) {
    public KeepAlive {
      if (idle.isNegative() || idle.isZero()) {
        throw new IllegalArgumentException("keepAlive must be longer than 0, not " + idle);
      }
      Objects.requireNonNull(directory);
    }
  }

  public Duration callTimeout() {
    return callTimeout;
  }

  public boolean inheritEnvironment() {
    return inheritEnvironment;
  }

  public Map<String, String> hostEnvironment() {
    return hostEnvironment;
  }

  public String configurationFingerprint() {
    return configurationFingerprint;
  }

  public long maxSourceSize() {
    return maxSourceSize;
  }

  /** Whether files in the output directory that this execution did not write may be overwritten. */
  public boolean force() {
    return force;
  }

  /** Glob patterns of files under the source directory that are not copied as assets. */
  public List<String> assetExcludes() {
    return assetExcludes;
  }

  /** Where the templates that pages name with {@code layout: NAME} are ({@code NAME.mustache}); may not exist. */
  public Path layoutDirectory() {
    return layoutDirectory;
  }

  /** The site's title, {@code site.title} in templates. */
  public String siteTitle() {
    return siteTitle;
  }

  /** The site's absolute address, ending in {@code /}, or empty: then no sitemap and no feed. */
  public String siteUrl() {
    return siteUrl;
  }

  /** The pages' language, as in {@code <html lang>}. */
  public String language() {
    return language;
  }

  /** Whether pages whose front matter says {@code draft: true} are rendered (else they are left out everywhere). */
  public boolean drafts() {
    return drafts;
  }

  /** The most entries of the feed. */
  public int feedSize() {
    return feedSize;
  }

  /** Whether a link inside the site that leads nowhere fails the build (else it is a warning). */
  public boolean failOnBrokenLinks() {
    return failOnBrokenLinks;
  }

  /** Builds a {@link RenderRequest}. */
  public static final class Builder {
    private final Path sourceDirectory;
    private final Path outputDirectory;
    private final Path workDirectory;
    private List<String> includes = DEFAULT_INCLUDES;
    private List<String> excludes = List.of();
    private Charset encoding = StandardCharsets.UTF_8;
    private Layout layout = new Layout.Default();
    private String defaultAuthor = "";
    private boolean failOnUnknownRole;
    private final List<PluginSpec> plugins = new ArrayList<>();
    private int threads = Runtime.getRuntime().availableProcessors();
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration callTimeout = Duration.ofSeconds(60);
    private Optional<KeepAlive> keepAlive = Optional.empty();
    private boolean inheritEnvironment;
    private Map<String, String> hostEnvironment = System.getenv();
    private String configurationFingerprint = "";
    private long maxSourceSize = DEFAULT_MAX_SOURCE_SIZE;
    private final Map<String, ReattachConfig> reattach = new java.util.LinkedHashMap<>();
    private boolean force;
    private List<String> assetExcludes = List.of();
    private Path layoutDirectory;
    private String siteTitle = "";
    private String siteUrl = "";
    private String language = "en";
    private boolean drafts;
    private int feedSize = 20;
    private boolean failOnBrokenLinks;

    private Builder(Path sourceDirectory, Path outputDirectory, Path workDirectory) {
      this.sourceDirectory = sourceDirectory.toAbsolutePath().normalize();
      this.outputDirectory = outputDirectory.toAbsolutePath().normalize();
      this.workDirectory = workDirectory.toAbsolutePath().normalize();
      this.layoutDirectory = this.sourceDirectory.resolveSibling("layouts");
    }

    /** Glob patterns of files under the source directory not to copy as assets. Default: none. */
    public Builder assetExcludes(List<String> patterns) {
      this.assetExcludes = List.copyOf(patterns);
      return this;
    }

    /**
     * Where the templates are that pages name with {@code layout: NAME} ({@code NAME.mustache}), and which they
     * include as partials ({@code {{> NAME}}}). Default: {@code layouts} beside the source directory.
     */
    public Builder layoutDirectory(Path directory) {
      this.layoutDirectory = directory.toAbsolutePath().normalize();
      return this;
    }

    /** The site's title. Default: empty. */
    public Builder siteTitle(String title) {
      this.siteTitle = title == null ? "" : title.strip();
      return this;
    }

    /**
     * The site's absolute address (http or https), where its pages will be served; with it the build writes
     * {@code sitemap.xml} and {@code feed.xml}. A {@code /} is added at its end if missing. Default: none.
     *
     * @throws IllegalArgumentException if it is not an absolute http or https address
     */
    public Builder siteUrl(String url) {
      String value = url == null ? "" : url.strip();
      if (!value.isEmpty()) {
        java.net.URI uri;
        try {
          uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("siteUrl is not an address: " + e.getMessage());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null
            || uri.getQuery() != null || uri.getFragment() != null) {
          throw new IllegalArgumentException("siteUrl must be an absolute http or https address with no query or "
              + "fragment, such as https://example.org/docs/, not \"" + value + "\"");
        }
        value = value.endsWith("/") ? value : value + "/";
      }
      this.siteUrl = value;
      return this;
    }

    /** The pages' language (a BCP 47 tag such as {@code en} or {@code pt-BR}). Default: {@code en}. */
    public Builder language(String language) {
      String value = language == null || language.isBlank() ? "en" : language.strip();
      if (!value.matches("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")) {
        throw new IllegalArgumentException("language must be a language tag such as en or pt-BR, not \"" + value
            + "\"");
      }
      this.language = value;
      return this;
    }

    /** Whether draft pages are rendered. Default: {@code false}. */
    public Builder drafts(boolean drafts) {
      this.drafts = drafts;
      return this;
    }

    /** The most entries the feed has, newest first. Default: 20. */
    public Builder feedSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("feedSize must be at least 1");
      }
      this.feedSize = size;
      return this;
    }

    /** Whether a broken link inside the site fails the build. Default: {@code false} (a warning). */
    public Builder failOnBrokenLinks(boolean fail) {
      this.failOnBrokenLinks = fail;
      return this;
    }

    /** Glob patterns of sources, relative to the source directory. Default: {@link #DEFAULT_INCLUDES}. */
    public Builder includes(List<String> includes) {
      this.includes = includes.isEmpty() ? DEFAULT_INCLUDES : List.copyOf(includes);
      return this;
    }

    /** Glob patterns of sources to leave out. Default: none. */
    public Builder excludes(List<String> excludes) {
      this.excludes = List.copyOf(excludes);
      return this;
    }

    /** The sources' encoding. Default: UTF-8. Pages are always written in UTF-8. */
    public Builder encoding(Charset encoding) {
      this.encoding = Objects.requireNonNull(encoding);
      return this;
    }

    /** Default: {@link Layout.Default}. */
    public Builder layout(Layout layout) {
      this.layout = Objects.requireNonNull(layout);
      return this;
    }

    /** The author of pages whose front matter names none. Default: empty. */
    public Builder defaultAuthor(String author) {
      this.defaultAuthor = author == null ? "" : author;
      return this;
    }

    /** Whether a role that no plugin handles fails the build (else it is a warning). Default: {@code false}. */
    public Builder failOnUnknownRole(boolean fail) {
      this.failOnUnknownRole = fail;
      return this;
    }

    /** A plugin; the order of these calls is the declaration order. Default: none. */
    public Builder plugin(PluginSpec plugin) {
      this.plugins.add(Objects.requireNonNull(plugin));
      return this;
    }

    /** How many pages render at once. Default: the number of processors. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    /** How long a plugin may take to start. Default: 60 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Keeps the shared plugin JVMs running after the build, for the next build to reattach to (see
     * {@link KeptPlugins}). Default: none; no plugin outlives its build.
     */
    public Builder keepAlive(KeepAlive keepAlive) {
      this.keepAlive = Optional.of(keepAlive);
      return this;
    }

    /** How long one plugin call may take before the build fails and the plugin is stopped. Default: 60 s. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Whether plugins get the build's whole environment. Default: {@code false}: only {@code PATH}, {@code HOME},
     * {@code USER}, {@code LANG}, {@code LC_*}, {@code TZ}, {@code TMPDIR}, {@code JAVA_HOME} and the go-plugin
     * variables, so that credentials in the build's environment do not reach third-party plugins.
     */
    public Builder inheritEnvironment(boolean inherit) {
      this.inheritEnvironment = inherit;
      return this;
    }

    /** The environment plugins' variables are taken from. Default: this process's. */
    public Builder hostEnvironment(Map<String, String> environment) {
      this.hostEnvironment = Map.copyOf(environment);
      return this;
    }

    /**
     * Text that identifies the caller's configuration beyond this request (for example the plugin's version); when
     * it changes, every page is rendered again. Default: empty.
     */
    public Builder configurationFingerprint(String fingerprint) {
      this.configurationFingerprint = Objects.requireNonNull(fingerprint);
      return this;
    }

    /**
     * The largest source, in bytes, that is rendered; a larger one is an error naming it, and is not read. Default:
     * {@link #DEFAULT_MAX_SOURCE_SIZE}. Rendering takes memory many times a source's size (its text, the document
     * tree, the page), for each page rendering at once.
     */
    public Builder maxSourceSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxSourceSize must be at least 1");
      }
      this.maxSourceSize = bytes;
      return this;
    }

    /**
     * Uses a plugin that is already running (started by hand in debug mode, say) instead of launching it; a
     * {@linkplain ReattachConfig#test() test} plugin is left running afterwards. Default: none.
     */
    public Builder reattach(String pluginName, ReattachConfig config) {
      this.reattach.put(Objects.requireNonNull(pluginName), Objects.requireNonNull(config));
      return this;
    }

    /**
     * Whether a file in the output directory that this execution did not write (a hand-written page, another
     * execution's) may be overwritten, with a warning naming it. Default: {@code false}: the page fails, naming the
     * file, and the file is left as it is. htmlize never deletes such a file either way.
     */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a reattached plugin is not among the plugins
     */
    public RenderRequest build() {
      return new RenderRequest(this);
    }
  }
}
