package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.test.proto.EchoGrpc;
import dev.htmlize.goplugin.test.proto.EchoRequest;
import dev.htmlize.goplugin.testing.EchoPlugin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-data sharing archives with real plugin JVMs: created once, used after, never in the way. */
class ClassDataSharingTest {
  @TempDir
  Path temp;

  private Path cds;
  private List<Path> classPath;
  private final List<LogEntry> logs = new CopyOnWriteArrayList<>();

  /** CDS takes jars only: the test plugin's classes and this module's, as jars, then the dependencies. */
  @BeforeEach
  void jars() throws IOException {
    cds = temp.resolve("cds");
    classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        classPath.add(jar(path, temp.resolve("jars").resolve(classPath.size() + ".jar")));
      } else if (entry.endsWith(".jar")) {
        classPath.add(path);
      }
    }
  }

  private static Path jar(Path directory, Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private List<String> command(List<String> jvmOptions) throws IOException {
    return JavaCommand.build(JavaCommand.currentJava(), jvmOptions, classPath, EchoPlugin.class.getName(),
        List.of(), temp.resolve("argfiles"), Optional.of(cds)).command();
  }

  private String echo(List<String> command) throws PluginStartException {
    ClientConfig config = ClientConfig.builder("echo", EchoPlugin.HANDSHAKE).command(command)
        .socketParent(temp).logger(logs::add).startTimeout(Duration.ofSeconds(60))
        .shutdownGrace(Duration.ofSeconds(20)).build();
    try (PluginClient client = PluginClient.start(config)) {
      return client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("cds").build())
          .getText();
    }
  }

  private List<Path> files(String glob) throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(cds.getFileSystem().getPathMatcher("glob:" + glob)::matches).toList();
    }
  }

  private static void age(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
  }

  @Test
  void theFirstLaunchDumpsAnArchiveThatTheNextLaunchMapsAndItSurvivesCorruption() throws Exception {
    List<String> first = command(List.of());
    assertThat(first).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=" + cds));
    assertThat(echo(first)).isEqualTo("cds");
    List<Path> dumped = files("**/*.tmp");
    assertThat(dumped).hasSize(1);
    assertThat(ClassDataSharing.isComplete(dumped.get(0))).isTrue();
    assertThat(logs).noneMatch(e -> e.level().compareTo(LogLevel.WARN) >= 0 && e.message().contains("cds"));
    age(dumped.get(0));

    List<String> second = command(List.of());
    assertThat(files("**/*.tmp")).isEmpty();
    Path archive = files("**/*.jsa").get(0);
    assertThat(second).contains("-XX:SharedArchiveFile=" + archive);
    // -Xshare:on makes a JVM that cannot map the archive refuse to start: the archive is really used.
    List<String> required = new ArrayList<>(second);
    required.add(1, "-Xshare:on");
    assertThat(echo(required)).isEqualTo("cds");

    // A truncated archive (a JDK 17 JVM would die of SIGBUS on it) is deleted, and the launch runs without one.
    byte[] good = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(good, good.length / 3));
    List<String> afterTruncation = command(List.of());
    assertThat(afterTruncation).noneMatch(o -> o.contains("SharedArchiveFile"));
    assertThat(archive).doesNotExist();
    assertThat(echo(afterTruncation)).isEqualTo("cds");

    // An intact file the JVM cannot use (garbage after a real header): it warns on stderr and runs without it.
    byte[] garbage = new byte[good.length];
    Arrays.fill(garbage, (byte) 'x');
    System.arraycopy(good, 0, garbage, 0, 16);
    Files.list(cds).forEach(p -> p.toFile().delete());
    Path bad = cds.resolve("bad.tmp");
    Files.write(bad, garbage);
    Path published = ClassDataSharing.publish(bad, cds, ClassDataSharing.key(JavaCommand.currentJava(),
        new ArrayList<>(JavaCommand.SMALL_JVM_OPTIONS), classPath, EchoPlugin.class.getName()));
    List<String> withGarbage = command(List.of());
    assertThat(withGarbage).contains("-XX:SharedArchiveFile=" + published);
    assertThat(echo(withGarbage)).isEqualTo("cds");
  }

  @Test
  void anIncompleteDumpIsNeitherPublishedNorRepeatedWhileItMayStillBeWritten() throws Exception {
    List<String> first = command(List.of());
    String temp = first.stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow()
        .substring("-XX:ArchiveClassesAtExit=".length());
    try (OutputStream out = Files.newOutputStream(Path.of(temp))) {
      out.write(new byte[8192]);
    }
    age(Path.of(temp));

    List<String> meanwhile = command(List.of());

    assertThat(meanwhile).noneMatch(o -> o.contains("SharedArchiveFile") || o.contains("ArchiveClassesAtExit"));
    assertThat(files("**/*.jsa")).isEmpty();
    assertThat(Path.of(temp)).exists();
  }

  @Test
  void aChangedJarGetsAnotherArchiveAndSomeClassPathsAndOptionsGetNone() throws Exception {
    String before = command(List.of()).stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst()
        .orElseThrow();
    Path own = classPath.get(0);
    Files.setLastModifiedTime(own, FileTime.from(Instant.now().plusSeconds(60)));
    Files.list(cds).forEach(p -> p.toFile().delete());
    String after = command(List.of()).stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst()
        .orElseThrow();
    assertThat(after.substring(0, after.indexOf('.'))).isNotEqualTo(before.substring(0, before.indexOf('.')));

    assertThat(command(List.of("-Xshare:off"))).noneMatch(o -> o.contains("Archive"));
    // A JVM with an agent (a profiler, a coverage tool) cannot dump an archive: it would not start at all.
    for (String agent : List.of("-agentpath:/opt/profiler/libprofiler.so=start", "-agentlib:jdwp=transport=dt_socket",
        "-javaagent:/opt/coverage/agent.jar")) {
      assertThat(command(List.of(agent))).noneMatch(o -> o.contains("Archive"));
    }
    assertThat(JavaCommand.build(JavaCommand.currentJava(), List.of(), List.of(temp), EchoPlugin.class.getName(),
        List.of(), temp.resolve("argfiles"), Optional.of(cds)).command()).noneMatch(o -> o.contains("Archive"));
    assertThat(JavaCommand.build(JavaCommand.currentJava(), List.of(), classPath, EchoPlugin.class.getName(),
        List.of(), temp.resolve("argfiles"), Optional.empty()).command()).noneMatch(o -> o.contains("Archive"));
  }

  /**
   * Over the cap, the least recently used archives go until the rest fit; the one just published stays, and so does
   * one a process maps (this JVM, here), however old.
   */
  @Test
  void archivesOverTheCapAreEvictedLeastRecentlyUsedFirstButNeverOneInUse() throws Exception {
    Files.createDirectories(cds);
    Instant now = Instant.now();
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Path archive = cds.resolve("key" + i + "-100000-0.jsa");
      Files.write(archive, new byte[1 << 20]);
      // key0 is the oldest, key4 the newest.
      Files.setLastModifiedTime(archive, FileTime.from(now.minus(Duration.ofHours(10 - i))));
      archives.add(archive);
    }
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(archives.get(0))) {
      java.nio.MappedByteBuffer mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, 4096);
      assertThat(ClassDataSharing.mappedArchives(cds)).contains("key0-100000-0.jsa");

      List<Path> deleted = ClassDataSharing.evict(cds, (5L << 20) / 2, archives.get(1));

      assertThat(deleted).containsExactly(archives.get(2), archives.get(3), archives.get(4));
      assertThat(archives.get(0)).exists();
      assertThat(archives.get(1)).exists();
      assertThat(mapped.get(0)).isZero();
      assertThat(ClassDataSharing.evict(cds, (5L << 20) / 2, archives.get(1))).isEmpty();
    }
  }
}
