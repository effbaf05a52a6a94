package dev.htmlize.maven;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.htmlize.engine.Engine;
import dev.htmlize.engine.KeptPlugins;
import dev.htmlize.engine.EngineLog;
import dev.htmlize.engine.Layout;
import dev.htmlize.engine.PluginLauncher;
import dev.htmlize.engine.PluginPool;
import dev.htmlize.engine.PluginSpec;
import dev.htmlize.engine.RenderException;
import dev.htmlize.engine.RenderRequest;
import dev.htmlize.goplugin.ReattachConfig;
import java.io.File;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;

/**
 * Renders the project's Markdown ({@code .md}, {@code .markdown}) and text ({@code .txt}) sources into HTML pages,
 * through htmlize plugins that run as separate processes. Plugins start only when some page needs rendering; a build
 * with nothing to do starts none.
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderMojo extends AbstractMojo {
  static final String SELF = "dev.htmlize:htmlize-maven-plugin";
  private static final String REATTACH_VARIABLE = "HTMLIZE_REATTACH_PLUGINS";

  /** Where the sources are. They are never written. */
  @Parameter(property = "htmlize.sourceDirectory", defaultValue = "${project.basedir}/src/main/htmlize", required = true)
  File sourceDirectory;

  /** Where the pages go; added to the project as a resource directory, so that {@code package} carries them. */
  @Parameter(property = "htmlize.outputDirectory", defaultValue = "${project.build.directory}/generated-resources/htmlize",
      required = true)
  File outputDirectory;

  /** Glob patterns of the sources to render, relative to the source directory. Default: every .md, .markdown, .txt. */
  @Parameter
  List<String> includes = new ArrayList<>();

  /** Glob patterns of sources to leave out. */
  @Parameter
  List<String> excludes = new ArrayList<>();

  /** The sources' encoding; pages are always written in UTF-8. */
  @Parameter(property = "htmlize.encoding", defaultValue = "${project.build.sourceEncoding}")
  String encoding;

  /** Skips the goal. */
  @Parameter(property = "htmlize.skip", defaultValue = "false")
  boolean skip;

  /** The plugins, in declaration order (which decides who renders a role claimed twice, and the contents order). */
  @Parameter
  List<PluginEntry> plugins = new ArrayList<>();

  /**
   * {@code default} (a minimal HTML5 page), {@code none} (the body alone) or the path of a Mustache template,
   * relative to the project's base directory.
   */
  @Parameter(property = "htmlize.layout", defaultValue = "default")
  String layout;

  /** The author of pages whose front matter names none. */
  @Parameter(property = "htmlize.author")
  String author;

  /** Fails the build on a role that no plugin handles, instead of a warning. */
  @Parameter(property = "htmlize.failOnUnknownRole", defaultValue = "false")
  boolean failOnUnknownRole;

  /** Seconds a plugin may take to start (to print its handshake line). */
  @Parameter(property = "htmlize.startTimeout", defaultValue = "60")
  int startTimeout;

  /** Seconds one plugin call may take; past it the build fails and the plugin is stopped. */
  @Parameter(property = "htmlize.callTimeout", defaultValue = "60")
  int callTimeout;

  /**
   * Keeps the shared plugin JVM running after the build, for the next build with the same plugins to reattach to
   * instead of launching it; it exits by itself after this long without a build ({@code 30s}, {@code 10m},
   * {@code 2h}). {@code mvn htmlize:stop} ends kept plugins at once. Default: none; no plugin outlives its build.
   */
  @Parameter(property = "htmlize.keepAlive")
  String keepAlive;

  /**
   * In a build of several modules, the modules that declare the same plugins (the same programs, jars, arguments,
   * environment and JVM options) use the same plugin processes: started by the first module that needs them, each
   * module configuring them with its own properties and site, and stopped when the build ends. Modules rendering at
   * once ({@code -T}) use one process each. {@code false} gives each module's execution processes of its own, ended
   * with it.
   */
  @Parameter(property = "htmlize.shareAcrossModules", defaultValue = "true")
  boolean shareAcrossModules;

  /**
   * The largest source, in bytes, that is rendered (10 MiB by default); a larger one fails the build, named, without
   * being read. Rendering takes memory many times a source's size for each page rendering at once.
   */
  @Parameter(property = "htmlize.maxSourceSize", defaultValue = "10485760")
  long maxSourceSize;

  /**
   * How many pages render at once; 0 means one per processor, or two per processor when plugins are declared (a page
   * then spends much of its time waiting for their answers). Negative is an error.
   */
  @Parameter(property = "htmlize.threads", defaultValue = "0")
  int threads;

  /**
   * Gives plugins the build's whole environment. By default they get only PATH, HOME, USER, LANG, LC_*, TZ, TMPDIR
   * and JAVA_HOME (and what a plugin's {@code <environment>} adds), so that credentials in the build's environment do
   * not reach third-party plugins.
   */
  @Parameter(property = "htmlize.inheritEnvironment", defaultValue = "false")
  boolean inheritEnvironment;

  /**
   * Plugins that are already running, to use instead of launching them: JSON mapping a plugin's name to the reattach
   * line it printed when started by hand with {@code --debug}, e.g.
   * {@code {"htmlize-tt-plugin":{"Protocol":"grpc","ProtocolVersion":1,"Pid":4242,"Test":true,
   * "Addr":{"Network":"unix","String":"/tmp/plugin-x/plugin123"}}}}. A plugin started that way stays running after
   * the build. Also read from the environment variable {@code HTMLIZE_REATTACH_PLUGINS} when this is not set.
   */
  @Parameter(property = "htmlize.reattach")
  String reattach;

  /**
   * Overwrites files in the output directory that this execution did not write (a hand-written page, the pages of
   * another execution that shares the directory), with a warning naming each. Without it such a page fails the
   * build, naming the file, and the file is left as it is. Files htmlize did not write are never deleted.
   */
  @Parameter(property = "htmlize.force", defaultValue = "false")
  boolean force;

  /**
   * Glob patterns of files under the source directory that are not copied to the output directory. Every file there
   * that is not a source (and not hidden: no part of its path starts with a dot) is an asset, copied as it is.
   */
  @Parameter
  List<String> assetExcludes = new ArrayList<>();

  /**
   * Where the templates are that a page names in its front matter ({@code layout: NAME} for {@code NAME.mustache});
   * they include each other as partials ({@code {{> NAME}}}).
   */
  @Parameter(property = "htmlize.layoutDirectory", defaultValue = "${project.basedir}/src/main/layouts")
  File layoutDirectory;

  /** The site's title: {@code site.title} in templates, the header of the default theme, the feed's title. */
  @Parameter(property = "htmlize.siteTitle", defaultValue = "${project.name}")
  String siteTitle;

  /**
   * The site's absolute address, such as {@code https://example.org/docs/}: with it the build writes
   * {@code sitemap.xml} and {@code feed.xml} (Atom), and templates see it as {@code site.url}.
   */
  @Parameter(property = "htmlize.siteUrl")
  String siteUrl;

  /** The pages' language, a tag such as {@code en} or {@code pt-BR}: the default theme's {@code <html lang>}. */
  @Parameter(property = "htmlize.language", defaultValue = "en")
  String language;

  /** Renders the pages whose front matter says {@code draft: true}; else they are left out everywhere. */
  @Parameter(property = "htmlize.drafts", defaultValue = "false")
  boolean drafts;

  /** The most entries of {@code feed.xml}, newest first. */
  @Parameter(property = "htmlize.feedSize", defaultValue = "20")
  int feedSize;

  /** Fails the build on a link inside the site that leads nowhere, instead of a warning. */
  @Parameter(property = "htmlize.failOnBrokenLinks", defaultValue = "false")
  boolean failOnBrokenLinks;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  MojoExecution mojoExecution;

  @Component
  RepositorySystem repositorySystem;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("htmlize: skipped");
      return;
    }
    Path output = outputDirectory.toPath();
    addResourceRoot(output);
    Path work = Path.of(project.getBuild().getDirectory(), "htmlize", mojoExecution.getExecutionId());
    RenderRequest request = request(work);
    try {
      Optional<PluginPool> pool = shareAcrossModules ? ReactorPlugins.of(session, getLog()) : Optional.empty();
      new Engine(engineLog(), pool.map(PluginLauncher::processes).orElseGet(PluginLauncher::processes))
          .render(request);
    } catch (RenderException e) {
      // Not chained: Maven would print the cause's message, every problem again, after the list above.
      throw new MojoFailureException("htmlize: " + e.problems().size()
          + (e.problems().size() == 1 ? " problem" : " problems") + " (listed above); no page was half-written");
    }
  }

  /** The one request the engine gets: every parameter mapped, plugins resolved. */
  RenderRequest request(Path work) throws MojoExecutionException {
    Path base = project.getBasedir().toPath();
    RenderRequest.Builder request = RenderRequest.builder(sourceDirectory.toPath(), outputDirectory.toPath(), work)
        .includes(includes)
        .excludes(excludes)
        .encoding(charset())
        .layout(Layout.parse(layout == null ? "default" : layout, base))
        .defaultAuthor(author)
        .failOnUnknownRole(failOnUnknownRole)
        .threads(notNegative(threads, "threads") > 0 ? threads : defaultThreads())
        .startTimeout(Duration.ofSeconds(positive(startTimeout, "startTimeout")))
        .callTimeout(Duration.ofSeconds(positive(callTimeout, "callTimeout")))
        .inheritEnvironment(inheritEnvironment)
        .maxSourceSize(positive(maxSourceSize, "maxSourceSize"))
        .force(force)
        .assetExcludes(assetExcludes)
        .layoutDirectory(layoutDirectory != null ? layoutDirectory.toPath() : base.resolve("src/main/layouts"))
        .drafts(drafts)
        .failOnBrokenLinks(failOnBrokenLinks)
        .configurationFingerprint(SELF + ":" + mojoExecution.getVersion());
    if (keepAlive != null && !keepAlive.isBlank()) {
      try {
        request.keepAlive(new RenderRequest.KeepAlive(KeptPlugins.parseDuration(keepAlive),
            KeptPlugins.defaultDirectory()));
      } catch (IllegalArgumentException e) {
        throw new MojoExecutionException("htmlize: keepAlive: " + e.getMessage());
      }
    }
    if (Files.isDirectory(sourceDirectory.toPath())) {
      for (PluginSpec spec : resolvePlugins(base, work)) {
        request.plugin(spec);
      }
      reattachments().forEach(request::reattach);
    }
    try {
      return request.siteTitle(siteTitle).siteUrl(siteUrl).language(language)
          .feedSize(feedSize).build();
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("htmlize: " + e.getMessage(), e);
    }
  }

  /** The {@code reattach} parameter, or {@code HTMLIZE_REATTACH_PLUGINS}, read. */
  Map<String, ReattachConfig> reattachments() throws MojoExecutionException {
    String text = reattach;
    String source = "reattach";
    if (text == null || text.isBlank()) {
      text = System.getenv(REATTACH_VARIABLE);
      source = REATTACH_VARIABLE;
    }
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    Map<String, ReattachConfig> result = new LinkedHashMap<>();
    try {
      JsonObject all = JsonParser.parseString(text).getAsJsonObject();
      for (Map.Entry<String, JsonElement> entry : all.entrySet()) {
        result.put(entry.getKey(), ReattachConfig.fromJson(entry.getValue().toString()));
      }
    } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
      throw new MojoExecutionException("htmlize: " + source + " must be a JSON object mapping plugin names to the "
          + "reattach lines they printed with --debug, e.g. {\"htmlize-tt-plugin\":{\"Protocol\":\"grpc\",...}}: "
          + e.getMessage(), e);
    }
    return result;
  }

  /** One per processor; twice that when plugins are declared, since a page then waits on their answers. */
  private int defaultThreads() {
    int processors = Runtime.getRuntime().availableProcessors();
    boolean withPlugins = (plugins != null && !plugins.isEmpty()) || (project.getPlugin(SELF) != null
        && !project.getPlugin(SELF).getDependencies().isEmpty());
    return withPlugins ? 2 * processors : processors;
  }

  private List<PluginSpec> resolvePlugins(Path base, Path work) throws MojoExecutionException {
    PluginResolver resolver = new MavenPluginResolver(repositorySystem, session.getRepositorySession(),
        project.getRemoteProjectRepositories(), base, work, getLog(),
        mojoExecution.getMojoDescriptor().getPluginDescriptor().getVersion());
    Plugin self = project.getPlugin(SELF);
    List<org.apache.maven.model.Dependency> dependencies = self == null ? List.of() : self.getDependencies();
    try {
      return resolver.resolve(plugins == null ? List.of() : plugins, dependencies);
    } catch (PluginResolver.PluginResolutionException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  private void addResourceRoot(Path output) {
    String directory = output.toAbsolutePath().toString();
    boolean present = project.getResources().stream().anyMatch(r -> directory.equals(r.getDirectory()));
    if (!present) {
      Resource resource = new Resource();
      resource.setDirectory(directory);
      project.addResource(resource);
    }
  }

  private Charset charset() throws MojoExecutionException {
    if (encoding == null || encoding.isBlank()) {
      return java.nio.charset.StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(encoding.strip());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new MojoExecutionException("htmlize: unknown encoding " + encoding);
    }
  }

  private static int positive(int value, String name) throws MojoExecutionException {
    if (value <= 0) {
      throw new MojoExecutionException("htmlize: " + name + " must be a positive number of seconds, not " + value);
    }
    return value;
  }

  private static long positive(long value, String name) throws MojoExecutionException {
    if (value <= 0) {
      throw new MojoExecutionException("htmlize: " + name + " must be a positive number of bytes, not " + value);
    }
    return value;
  }

  private static int notNegative(int value, String name) throws MojoExecutionException {
    if (value < 0) {
      throw new MojoExecutionException("htmlize: " + name + " must be 0 (the default: one per processor) or more, "
          + "not " + value);
    }
    return value;
  }

  EngineLog engineLog() {
    return new MavenEngineLog(getLog());
  }
}
