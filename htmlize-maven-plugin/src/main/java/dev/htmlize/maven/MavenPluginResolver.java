package dev.htmlize.maven;

import dev.htmlize.engine.JavaPlugin;
import dev.htmlize.engine.PluginSpec;
import dev.htmlize.goplugin.Sha256;
import dev.htmlize.goplugin.host.JavaCommand;
import dev.htmlize.plugin.PluginJvms;
import dev.htmlize.plugin.HtmlizeProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.maven.plugin.logging.Log;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves plugin entries with Maven's resolver, from the project's repositories (mirrors and offline mode apply as
 * for any dependency). A jar comes with its runtime dependencies and starts as {@code java @argfile Main-Class}; an
 * {@code exe} artifact is copied under the work directory and made executable (never changed in the local
 * repository); an executable runs as it is.
 */
final class MavenPluginResolver implements PluginResolver {
  private static final String SDK_GROUP = "dev.htmlize";
  private static final String SDK_ARTIFACT = "htmlize-plugin-protocol";
  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;
  private final Path baseDirectory;
  private final Path workDirectory;
  private final Log log;
  /** The version of htmlize's Java SDK this build runs (the Maven plugin's own). */
  private final String sdkVersion;
  /** The SDK and its dependencies, the class path of a shared plugin JVM; resolved when first needed. */
  private List<Path> sdkClassPath;
  /** The SHA-256 of files by path, size and modification time, for this JVM's builds. */
  private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

  MavenPluginResolver(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories,
                      Path baseDirectory, Path workDirectory, Log log, String sdkVersion) {
    this.system = system;
    this.session = session;
    this.repositories = repositories;
    this.baseDirectory = baseDirectory;
    this.workDirectory = workDirectory;
    this.log = log;
    this.sdkVersion = sdkVersion;
  }

  @Override
  public List<PluginSpec> resolve(List<PluginEntry> entries,
                                  List<org.apache.maven.model.Dependency> pluginDependencies)
      throws PluginResolutionException {
    List<PluginSpec> specs = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (PluginEntry entry : entries) {
      try {
        specs.add(resolve(entry));
      } catch (Failure e) {
        failures.add("  " + entry + ": " + e.getMessage());
      }
    }
    for (org.apache.maven.model.Dependency dependency : pluginDependencies) {
      PluginEntry entry = new PluginEntry();
      entry.groupId = dependency.getGroupId();
      entry.artifactId = dependency.getArtifactId();
      entry.version = dependency.getVersion();
      entry.classifier = dependency.getClassifier();
      try {
        Artifact artifact = artifact(entry);
        List<Artifact> classPath = resolveWithDependencies(artifact);
        if (isMarked(classPath.get(0).getFile().toPath())) {
          specs.add(javaSpec(entry, artifact, classPath));
        } else {
          log.debug("htmlize: the plugin dependency " + entry + " is no htmlize plugin (its manifest has no "
              + HtmlizeProtocol.MANIFEST_MARKER + ": true); it is left alone");
        }
      } catch (Failure e) {
        failures.add("  " + entry + " (a dependency of htmlize-maven-plugin): " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new PluginResolutionException("htmlize: cannot resolve " + failures.size()
          + (failures.size() == 1 ? " plugin" : " plugins") + ":\n" + String.join("\n", failures));
    }
    return specs;
  }

  private PluginSpec resolve(PluginEntry entry) throws Failure {
    if (entry.executable != null) {
      if (entry.coordinates != null || entry.artifactId != null) {
        throw new Failure("give either an executable or coordinates, not both");
      }
      Path program = baseDirectory.resolve(entry.executable.toPath()).normalize();
      if (Files.isDirectory(program)) {
        throw new Failure("the executable " + program + " is a directory; name the program in it");
      }
      if (!Files.isRegularFile(program)) {
        throw new Failure("the executable " + program + " does not exist");
      }
      if (!Files.isExecutable(program)) {
        throw new Failure("the executable " + program + " is not executable (chmod +x it)");
      }
      List<String> command = new ArrayList<>();
      command.add(program.toString());
      command.addAll(entry.arguments);
      String name = entry.name != null ? entry.name : program.getFileName().toString();
      return new PluginSpec(name, command, entry.properties, entry.environment, lower(entry.sha256),
          fingerprint(List.of(program)) + " " + entry.arguments).withTransport(entry.autoMtls,
          entry.allowPlaintextTcp);
    }
    Artifact artifact = artifact(entry);
    if ("exe".equals(artifact.getExtension())) {
      Path executable = copyExecutable(resolveOne(artifact));
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      command.addAll(entry.arguments);
      String name = entry.name != null ? entry.name : artifact.getArtifactId();
      return new PluginSpec(name, command, entry.properties, entry.environment, lower(entry.sha256),
          fingerprint(List.of(executable)) + " " + entry.arguments).withTransport(entry.autoMtls,
          entry.allowPlaintextTcp);
    }
    return javaSpec(entry, artifact, resolveWithDependencies(artifact));
  }

  private PluginSpec javaSpec(PluginEntry entry, Artifact artifact, List<Artifact> artifacts) throws Failure {
    List<Path> classPath = artifacts.stream().map(a -> a.getFile().toPath()).toList();
    Path jar = classPath.get(0);
    if (entry.sha256 != null) {
      String actual = sha256(jar);
      if (!actual.equals(lower(entry.sha256))) {
        throw new Failure("the SHA-256 of " + jar + " did not match: expected " + lower(entry.sha256) + ", found "
            + actual + ". The artifact changed since the checksum was pinned; check where it came from");
      }
    }
    String mainClass = entry.mainClass != null ? entry.mainClass : mainClassOf(jar);
    if (mainClass == null) {
      throw new Failure("the jar " + jar.getFileName() + " has no Main-Class in its manifest; set <mainClass>");
    }
    JavaCommand command;
    try {
      command = PluginJvms.command(entry.jvmArgs, classPath, mainClass, entry.arguments,
          workDirectory.resolve("argfiles"));
    } catch (IOException e) {
      throw new Failure("cannot write its argument file: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Failure(e.getMessage());
    }
    String name = entry.name != null ? entry.name : artifact.getArtifactId();
    PluginSpec spec = new PluginSpec(name, command.command(), entry.properties, entry.environment, null,
        artifact + " " + fingerprint(classPath) + " " + entry.jvmArgs + " " + mainClass + " " + entry.arguments)
        .withTransport(entry.autoMtls, entry.allowPlaintextTcp).withShutdownGrace(command.shutdownGrace());
    JavaPlugin.Mode mode = mode(entry, name, artifacts);
    return mode == null ? spec : spec.withJava(new JavaPlugin(mode, classPath, mainClass, entry.arguments,
        entry.jvmArgs, mode == JavaPlugin.Mode.SHARED ? sdkClassPath() : List.of()));
  }

  /**
   * Where a Java plugin runs: {@code inProcess}, {@code isolated}, or shared (the default) when it is built on this
   * build's version of the SDK; {@code null} for a jar that runs as its own process only (one not built on the SDK).
   */
  private JavaPlugin.Mode mode(PluginEntry entry, String name, List<Artifact> classPath) throws Failure {
    if (entry.inProcess && entry.isolated) {
      throw new Failure("give either <inProcess>true</inProcess> or <isolated>true</isolated>, not both");
    }
    Optional<Artifact> sdk = classPath.stream().filter(a -> a.getGroupId().equals(SDK_GROUP)
        && a.getArtifactId().equals(SDK_ARTIFACT)).findFirst();
    if (entry.inProcess) {
      if (sdk.isEmpty()) {
        throw new Failure("<inProcess> loads plugins built on htmlize's Java SDK (" + SDK_GROUP + ":" + SDK_ARTIFACT
            + "), and this one is not; it runs as a process of its own without <inProcess>");
      }
      if (!sdk.get().getBaseVersion().equals(sdkVersion)) {
        log.warn("htmlize: plugin " + name + " is built on htmlize's SDK " + sdk.get().getBaseVersion()
            + "; in process it runs with the build's, " + sdkVersion);
      }
      return JavaPlugin.Mode.IN_PROCESS;
    }
    if (sdk.isEmpty()) {
      return null;
    }
    if (entry.isolated) {
      return JavaPlugin.Mode.ISOLATED;
    }
    if (!sdk.get().getBaseVersion().equals(sdkVersion)) {
      log.debug("htmlize: plugin " + name + " is built on htmlize's SDK " + sdk.get().getBaseVersion() + ", not "
          + sdkVersion + "; it gets a JVM of its own");
      return JavaPlugin.Mode.ISOLATED;
    }
    return JavaPlugin.Mode.SHARED;
  }

  private List<Path> sdkClassPath() throws Failure {
    if (sdkClassPath == null) {
      sdkClassPath = resolveWithDependencies(new DefaultArtifact(SDK_GROUP, SDK_ARTIFACT, "", "jar", sdkVersion))
          .stream().map(a -> a.getFile().toPath()).toList();
    }
    return sdkClassPath;
  }

  private Artifact artifact(PluginEntry entry) throws Failure {
    String groupId = entry.groupId;
    String artifactId = entry.artifactId;
    String version = entry.version;
    String classifier = entry.classifier;
    if (entry.coordinates != null) {
      if (entry.artifactId != null) {
        throw new Failure("give either <coordinates> or groupId/artifactId/version, not both");
      }
      String[] parts = entry.coordinates.strip().split(":");
      if (parts.length < 3 || parts.length > 4) {
        throw new Failure("coordinates must be groupId:artifactId:version[:classifier], not "
            + entry.coordinates);
      }
      groupId = parts[0];
      artifactId = parts[1];
      version = parts[2];
      classifier = parts.length == 4 ? parts[3] : null;
    }
    if (isBlank(groupId) || isBlank(artifactId) || isBlank(version)) {
      throw new Failure("a plugin needs <coordinates>, groupId, artifactId and version, or <executable>");
    }
    String type = entry.type == null ? "jar" : entry.type.strip();
    return new DefaultArtifact(groupId.strip(), artifactId.strip(), classifier == null ? "" : classifier.strip(),
        type, version.strip());
  }

  /** The artifact's jar first, then its runtime dependencies. */
  private List<Artifact> resolveWithDependencies(Artifact artifact) throws Failure {
    CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), repositories);
    DependencyRequest request = new DependencyRequest(collect,
        DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    try {
      List<ArtifactResult> results = system.resolveDependencies(session, request).getArtifactResults();
      List<Artifact> classPath = new ArrayList<>();
      for (ArtifactResult result : results) {
        Artifact resolved = result.getArtifact();
        Artifact file = resolved;
        boolean root = resolved.getGroupId().equals(artifact.getGroupId())
            && resolved.getArtifactId().equals(artifact.getArtifactId())
            && resolved.getClassifier().equals(artifact.getClassifier());
        if (root) {
          classPath.add(0, file);
        } else {
          classPath.add(file);
        }
      }
      return classPath;
    } catch (DependencyResolutionException e) {
      throw new Failure(e.getMessage());
    }
  }

  private Path resolveOne(Artifact artifact) throws Failure {
    try {
      return system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null)).getArtifact()
          .getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new Failure(e.getMessage());
    }
  }

  private Path copyExecutable(Path artifact) throws Failure {
    try {
      Path target = workDirectory.resolve("plugins").resolve(artifact.getFileName());
      Files.createDirectories(target.getParent());
      if (!Files.exists(target) || Files.size(target) != Files.size(artifact)
          || !Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(artifact))) {
        Files.copy(artifact, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return target;
    } catch (IOException | UnsupportedOperationException e) {
      throw new Failure("cannot copy it under " + workDirectory + " and make it executable: " + e.getMessage());
    }
  }

  private static boolean isMarked(Path jar) throws Failure {
    Manifest manifest = manifest(jar);
    return manifest != null
        && "true".equalsIgnoreCase(manifest.getMainAttributes().getValue(HtmlizeProtocol.MANIFEST_MARKER));
  }

  private static String mainClassOf(Path jar) throws Failure {
    Manifest manifest = manifest(jar);
    return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
  }

  private static Manifest manifest(Path jar) throws Failure {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest();
    } catch (IOException e) {
      throw new Failure("cannot read " + jar + " as a jar: " + e.getMessage());
    }
  }

  /**
   * Identifies files by name and content (SHA-256): a plugin re-installed with the same bytes is the same plugin. A
   * file's digest is computed once per path, size and modification time in this JVM.
   */
  private static String fingerprint(List<Path> files) throws Failure {
    StringBuilder out = new StringBuilder();
    for (Path file : files) {
      String key;
      try {
        key = file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
      } catch (IOException e) {
        throw new Failure("cannot read " + file + ": " + e.getMessage());
      }
      String digest = DIGESTS.get(key);
      if (digest == null) {
        digest = sha256(file);
        DIGESTS.put(key, digest);
      }
      out.append(file.getFileName()).append('=').append(digest).append(';');
    }
    return out.toString();
  }

  private static String sha256(Path file) throws Failure {
    try {
      return Sha256.hex(file);
    } catch (IOException e) {
      throw new Failure("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String lower(String hex) {
    return hex == null ? null : hex.strip().toLowerCase(Locale.ROOT);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** One entry's failure. */
  private static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }
}
