package dev.htmlize.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * htmlize under Maven's Build Cache Extension, configured with the README's files (section "Maven's build cache") as
 * written: a second build after {@code rm -rf target} restores the pages byte for byte without running htmlize, and
 * each kind of change (a page, an asset, a layout, a plugin's properties, a plugin's version) is a miss that renders;
 * after a restore, a build that renders again owns the restored pages.
 */
class BuildCacheIT {
  private static final Path WORK = Paths.get("target/build-cache").toAbsolutePath();
  private static final String VERSION = System.getProperty("htmlize.it.version", "0.1.0-SNAPSHOT");
  private static final String RENDERED = "htmlize: ";
  private static final String SKIPPED = "Skipping plugin execution (cached): htmlize:render";

  private final Path repository = WORK.resolve("repository");
  /** The agent building: its project's directory, its local build cache and its log. */
  private Path project = WORK.resolve("project");
  private Path cache = WORK.resolve("cache");
  private Path log = WORK.resolve("build.log");

  /** A new site project in the agent's directory, with the README's two files in its .mvn/. */
  private void writeProject(Path dir) throws Exception {
    project = dir.resolve("project");
    cache = dir.resolve("cache");
    log = dir.resolve("build.log");
    ReadmeSteps.deleteTree(dir);
    Files.createDirectories(project);
    assertThat(ReadmeSteps.writeFiles("Maven's build cache", project)).as("the README's files").isEqualTo(2);
    writePom(VERSION, "code");
    write("src/main/htmlize/index.md", "---\ntitle: Home\n---\nRun :tt:`mvn package` ![logo](logo.svg).\n");
    write("src/main/htmlize/docs/guide.md", "---\ntitle: Guide\nlayout: plain\n---\nThe :tt:`guide`.\n");
    write("src/main/htmlize/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n");
    write("src/main/layouts/plain.mustache", "<!DOCTYPE html>\n<html lang=\"{{language}}\"><head><meta charset=\"utf-8\">"
        + "<title>{{title}}</title></head>\n<body class=\"plain\">{{{body}}}</body></html>\n");
  }

  @Test
  void restoresThePagesWithoutRenderingAndMissesOnEachKindOfChange() throws Exception {
    writeProject(WORK.resolve("local"));

    String first = mvnPackage();
    assertThat(first).contains("htmlize: 2 pages rendered").doesNotContain(SKIPPED);
    Map<String, byte[]> pages = pages();
    assertThat(pages).containsKeys("index.html", "docs/guide.html", "logo.svg");
    assertThat(text(pages, "index.html")).contains("<code>mvn package</code>");

    // rm -rf target: restored from the cache, byte for byte, without htmlize (so without a plugin process).
    ReadmeSteps.deleteTree(project.resolve("target"));
    String restored = mvnPackage();
    assertThat(restored).contains("Found cached build, restoring", SKIPPED).doesNotContain(RENDERED);
    assertSamePages(pages, pages());
    try (JarFile jar = new JarFile(project.resolve("target/cached-site-1.0.jar").toFile())) {
      assertThat(jar.getEntry("docs/guide.html")).as("the restored jar has the pages").isNotNull();
    }

    // A page changes: a miss; htmlize renders, and owns the restored pages (it never overwrites what it did not write).
    write("src/main/htmlize/index.md", "---\ntitle: Home\n---\nRun :tt:`mvn verify` ![logo](logo.svg).\n");
    String page = mvnPackage();
    assertThat(page).doesNotContain(SKIPPED).contains("htmlize: 1 page rendered (1 written), 1 up to date")
        .doesNotContain("did not write");
    assertThat(text(pages(), "index.html")).contains("<code>mvn verify</code>");

    // An asset.
    write("src/main/htmlize/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>\n");
    assertThat(mvnPackage()).doesNotContain(SKIPPED).contains(RENDERED);
    assertThat(text(pages(), "logo.svg")).contains("width=\"2\"");

    // A layout.
    write("src/main/layouts/plain.mustache", "<!DOCTYPE html>\n<html lang=\"{{language}}\"><head><meta charset=\"utf-8\">"
        + "<title>{{title}}</title></head>\n<body class=\"plainer\">{{{body}}}</body></html>\n");
    assertThat(mvnPackage()).doesNotContain(SKIPPED).contains(RENDERED);
    assertThat(Jsoup.parse(text(pages(), "docs/guide.html")).body().className()).isEqualTo("plainer");

    // A plugin's properties.
    writePom(VERSION, "kbd");
    assertThat(mvnPackage()).doesNotContain(SKIPPED).contains(RENDERED);
    assertThat(text(pages(), "index.html")).contains("<kbd>mvn verify</kbd>");

    // A plugin's version: the same plugin installed under another version.
    installTtAs("0.1.0-cachetest");
    writePom("0.1.0-cachetest", "kbd");
    assertThat(mvnPackage()).doesNotContain(SKIPPED).contains(RENDERED);

    // And back to a configuration built before: a hit again, with that build's pages.
    Map<String, byte[]> kbdPages = pages();
    writePom(VERSION, "kbd");
    ReadmeSteps.deleteTree(project.resolve("target"));
    assertThat(mvnPackage()).contains(SKIPPED).doesNotContain(RENDERED);
    assertSamePages(kbdPages, pages());

    // A parameter given on the command line, which the README's configuration reconciles: a miss.
    String titled = mvnPackage("-Dhtmlize.siteTitle=Another");
    assertThat(titled).doesNotContain(SKIPPED).contains(RENDERED);
    assertThat(Jsoup.parse(text(pages(), "index.html")).title()).contains("Another");
  }

  /**
   * Agent A builds and uploads to a remote cache, a real HTTP server with WebDAV PUT (Debian's nginx, on loopback);
   * agent B, another checkout in another directory with an empty local cache, restores from it without rendering.
   */
  @Test
  void aSecondAgentRestoresFromTheRemoteCacheWithoutRendering() throws Exception {
    Path nginx = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(nginx)) {
      String message = nginx + " is missing: dev/install-test-deps installs nginx-light";
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        org.junit.jupiter.api.Assertions.fail(message);
      }
      org.junit.jupiter.api.Assumptions.abort(message);
    }
    Path server = WORK.resolve("remote-server");
    ReadmeSteps.deleteTree(server);
    Files.createDirectories(server.resolve("www/cache"));
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Files.writeString(server.resolve("nginx.conf"), """
        daemon off;
        master_process off;
        pid DIR/nginx.pid;
        error_log DIR/error.log info;
        events {}
        http {
          access_log DIR/access.log;
          client_body_temp_path DIR/body;
          proxy_temp_path DIR/proxy;
          fastcgi_temp_path DIR/fastcgi;
          uwsgi_temp_path DIR/uwsgi;
          scgi_temp_path DIR/scgi;
          server {
            listen 127.0.0.1:PORT;
            root DIR/www;
            client_max_body_size 512m;
            location /cache/ {
              dav_methods PUT;
              create_full_put_path on;
              dav_access user:rw;
            }
          }
        }
        """.replace("DIR", server.toString()).replace("PORT", Integer.toString(port)), StandardCharsets.UTF_8);
    Process process = new ProcessBuilder(nginx.toString(), "-p", server.toString(), "-c",
        server.resolve("nginx.conf").toString()).redirectErrorStream(true)
        .redirectOutput(server.resolve("nginx.out").toFile()).start();
    try {
      String url = "http://127.0.0.1:" + port + "/cache";
      awaitListening(process, port, server);
      String remote = "-Dmaven.build.cache.remote.url=" + url;

      writeProject(WORK.resolve("agent-a"));
      String a = mvnPackage(remote, "-Dmaven.build.cache.remote.save.enabled=true");
      assertThat(a).contains("htmlize: 2 pages rendered", "Saved to remote cache");
      Map<String, byte[]> pages = pages();
      assertThat(Files.readString(server.resolve("access.log"), StandardCharsets.UTF_8)).contains("\"PUT /cache/");

      writeProject(WORK.resolve("agent-b"));
      String b = mvnPackage(remote);
      assertThat(b).contains("Found cached build, restoring", SKIPPED).doesNotContain(RENDERED);
      assertSamePages(pages, pages());
    } finally {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Waits until nginx accepts connections on the port, or fails with its log if it exits or takes over 30 s. */
  private static void awaitListening(Process nginx, int port, Path server) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (java.io.IOException notYet) {
        if (!nginx.isAlive() || System.nanoTime() > deadline) {
          String out = Files.exists(server.resolve("error.log"))
              ? Files.readString(server.resolve("error.log"), StandardCharsets.UTF_8) : "";
          org.junit.jupiter.api.Assertions.fail("nginx did not start on port " + port + ":\n" + out);
        }
        nginx.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
  }

  private String mvnPackage(String... arguments) throws Exception {
    long before = Files.exists(log) ? Files.size(log) : 0;
    ReadmeSteps.sh("mvn package -Dmaven.build.cache.location=" + cache + " " + String.join(" ", arguments), project,
        log, repository);
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
  }

  private void writePom(String ttVersion, String element) throws Exception {
    write("pom.xml", """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>dev.htmlize.it</groupId>
          <artifactId>cached-site</artifactId>
          <version>1.0</version>
          <properties>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
            <maven.compiler.release>17</maven.compiler.release>
          </properties>
          <build>
            <plugins>
              <plugin>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
              </plugin>
              <plugin>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.14.1</version>
              </plugin>
              <plugin>
                <artifactId>maven-surefire-plugin</artifactId>
                <version>3.5.4</version>
              </plugin>
              <plugin>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
              </plugin>
              <plugin>
                <groupId>dev.htmlize</groupId>
                <artifactId>htmlize-maven-plugin</artifactId>
                <version>VERSION</version>
                <executions>
                  <execution>
                    <goals>
                      <goal>render</goal>
                    </goals>
                  </execution>
                </executions>
                <configuration>
                  <plugins>
                    <plugin>
                      <coordinates>dev.htmlize:htmlize-tt-plugin:TT_VERSION</coordinates>
                      <properties>
                        <element>ELEMENT</element>
                      </properties>
                    </plugin>
                  </plugins>
                </configuration>
              </plugin>
            </plugins>
          </build>
        </project>
        """.replace("TT_VERSION", ttVersion).replace("VERSION", VERSION).replace("ELEMENT", element));
  }

  /** Installs the tt plugin's jar and POM, under another version, into the builds' own local repository. */
  private void installTtAs(String version) throws Exception {
    Path installed = Path.of(System.getProperty("htmlize.it.localRepository", ""), "dev/htmlize/htmlize-tt-plugin",
        VERSION);
    Path jar = installed.resolve("htmlize-tt-plugin-" + VERSION + ".jar");
    assertThat(jar).as("the tt plugin in the build's local repository").isRegularFile();
    String pom = """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>dev.htmlize</groupId>
          <artifactId>htmlize-tt-plugin</artifactId>
          <version>ALT</version>
          <dependencies>
            <dependency>
              <groupId>dev.htmlize</groupId>
              <artifactId>htmlize-plugin-protocol</artifactId>
              <version>VERSION</version>
            </dependency>
          </dependencies>
        </project>
        """.replace("ALT", version).replace("VERSION", VERSION);
    Path pomFile = WORK.resolve("tt-" + version + ".pom");
    Files.writeString(pomFile, pom, StandardCharsets.UTF_8);
    ReadmeSteps.sh("mvn -q org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file -Dfile=" + jar
        + " -DpomFile=" + pomFile, WORK, log, repository);
  }

  private void write(String path, String text) throws Exception {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private Map<String, byte[]> pages() throws Exception {
    Path out = project.resolve("target/generated-resources/htmlize");
    Map<String, byte[]> pages = new TreeMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        pages.put(out.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return pages;
  }

  private static String text(Map<String, byte[]> pages, String page) {
    assertThat(pages).containsKey(page);
    return new String(pages.get(page), StandardCharsets.UTF_8);
  }

  private static void assertSamePages(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((page, bytes) -> assertThat(actual.get(page)).as(page).isEqualTo(bytes));
  }
}
