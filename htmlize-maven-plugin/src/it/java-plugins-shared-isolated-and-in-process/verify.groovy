// The same pages as markdown-site-with-plugins-by-coordinates, with the Java plugins run three ways; then a plugin jar
// re-installed with the same bytes (a new modification time) renders nothing, and no plugin process outlives a build.
import java.nio.file.*
import java.nio.file.attribute.FileTime
import groovy.xml.XmlSlurper
import org.jsoup.Jsoup

def base = basedir.toPath().toRealPath()
def out = base.resolve('target/generated-resources/htmlize')
def index = Jsoup.parse(out.resolve('index.html').toFile(), 'UTF-8')
assert index.select('tt').eachText().contains('mvn package')
assert index.select('a.issue').attr('href') == 'https://tracker.example/issues/12'
assert index.select('nav.toc a').attr('href') == '#start'
// ref, in Maven's JVM, found the guide's title through the Site it was given directly.
assert index.select('a.ref').text() == 'The guide'
def log = new String(Files.readAllBytes(base.resolve('build.log')), 'UTF-8')
// tt and issue in one JVM, toc in its own, ref in none.
assert log.contains('htmlize: 2 pages rendered (2 written), 0 up to date, 0 removed; 4 plugins, 2 processes')

def marker = base.resolve('target/htmlize').toString()
assert ProcessHandle.allProcesses().filter { it.info().commandLine().orElse('').contains(marker) && it.isAlive() }
    .count() == 0

def coordinates = new XmlSlurper().parse(base.resolve('pom.xml').toFile()).'**'.find {
  it.name() == 'coordinates' && it.text().startsWith('dev.htmlize:htmlize-tt-plugin:')
}.text()
def version = coordinates.split(':')[2]
def jar = Paths.get(localRepositoryPath.toString(), 'dev/htmlize/htmlize-tt-plugin', version,
    "htmlize-tt-plugin-${version}.jar")
assert Files.isRegularFile(jar)
Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()))
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def jansi = Files.createDirectories(base.resolve('jansi'))
def builder = new ProcessBuilder(mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}", 'generate-resources')
    .directory(base.toFile()).redirectErrorStream(true).redirectOutput(base.resolve('second.log').toFile())
builder.environment().put('MAVEN_OPTS', "-Djansi.tmpdir=${jansi}".toString())
assert builder.start().waitFor() == 0
def second = new String(Files.readAllBytes(base.resolve('second.log')), 'UTF-8')
assert second.contains('htmlize: 0 pages rendered (0 written), 2 up to date, 0 removed; 0 plugins')

// keepAlive: the shared plugin JVM outlives the build, registered in the directory named; htmlize:stop ends it.
def kept = Files.createDirectories(base.resolve('kept'))
def maven = { String logName, String... goals ->
  def command = [mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}",
      "-Dhtmlize.keepAlive.directory=${kept}"] + goals.toList()
  def run = new ProcessBuilder(command.collect { it.toString() }).directory(base.toFile()).redirectErrorStream(true)
      .redirectOutput(base.resolve(logName).toFile())
  run.environment().put('MAVEN_OPTS', "-Djansi.tmpdir=${jansi}".toString())
  assert run.start().waitFor() == 0
  new String(Files.readAllBytes(base.resolve(logName)), "UTF-8")
}
def sharedJvms = { ->
  ProcessHandle.allProcesses().filter { it.isAlive() && it.info().commandLine().orElse('').contains(marker)
      && it.info().commandLine().orElse('').contains('dev.htmlize.plugin.SharedPlugins') }.toList()
}
def source = base.resolve("src/main/htmlize/index.md")
Files.writeString(source, Files.readString(source) + '\nOne more line.\n')
def third = maven('third.log', '-Dhtmlize.keepAlive=2m', 'generate-resources')
assert third.contains('htmlize: 1 page rendered (1 written), 1 up to date, 0 removed; 4 plugins, 2 processes')
def running = sharedJvms()
assert running.size() == 1 : 'the shared plugin JVM is kept after the build'
def registered = { -> Files.list(kept).filter { it.toString().endsWith('.json') && Files.size(it) > 0 }.count() }
assert registered() == 1
def stop = maven('stop.log', 'htmlize:stop')
assert stop.contains('htmlize: 1 kept plugin JVM stopped')
running[0].onExit().get(10, java.util.concurrent.TimeUnit.SECONDS)
assert sharedJvms().isEmpty()
assert registered() == 0
