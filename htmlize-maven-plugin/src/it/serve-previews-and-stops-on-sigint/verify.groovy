// Runs mvn htmlize:serve as a user does, reads pages over HTTP, edits a source and reads the new page, checks that a
// second server on the same port is refused by name, then sends SIGINT to Maven: it ends, and no plugin process
// outlives it.
import java.nio.file.*
import java.util.concurrent.TimeUnit
import org.jsoup.Jsoup

def base = basedir.toPath().toRealPath()
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def jansi = Files.createDirectories(base.resolve('jansi'))
def marker = base.resolve('target/htmlize').toString()
def plugins = { ->
  ProcessHandle.allProcesses().filter { it.info().commandLine().orElse('').contains(marker) && it.isAlive() }.toList()
}
def until = { long millis, Closure<Boolean> condition ->
  long deadline = System.nanoTime() + millis * 1_000_000
  while (!condition()) {
    if (System.nanoTime() > deadline) {
      return false
    }
    Thread.sleep(20)
  }
  return true
}
def serve = { String name, String port ->
  def builder = new ProcessBuilder(mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}", 'htmlize:serve',
      "-Dhtmlize.port=${port}").directory(base.toFile()).redirectErrorStream(true)
      .redirectOutput(base.resolve("${name}.log").toFile())
  builder.environment().put('MAVEN_OPTS', "-Djansi.tmpdir=${jansi}".toString())
  builder.start()
}
def logOf = { String name -> new String(Files.readAllBytes(base.resolve("${name}.log")), 'UTF-8') }
def http = java.net.http.HttpClient.newHttpClient()
def get = { String url ->
  http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
      java.net.http.HttpResponse.BodyHandlers.ofString())
}

def maven = serve('serve', '0')
try {
  assert until(120_000) { logOf('serve').contains('htmlize: serving ') || !maven.isAlive() }
  assert maven.isAlive() : 'htmlize:serve ended; see serve.log'
  def line = logOf('serve').readLines().find { it.contains('htmlize: serving ') }
  def address = line.substring(line.indexOf('http://'), line.indexOf('/ (') + 1)
  def page = get(address + 'index.html')
  assert page.statusCode() == 200
  assert Jsoup.parse(page.body()).selectFirst('article tt').text() == 'mvn htmlize:serve'
  assert page.body().contains('EventSource')
  assert !new File(base.toFile(), 'target/generated-resources/htmlize/index.html').getText('UTF-8').contains('EventSource')
  assert logOf('serve').contains('0 pages rendered') : 'the render execution\'s pages are up to date for serve too'

  Files.writeString(base.resolve('src/main/htmlize/index.md'), '# Home\n\nNow :tt:`edited`.\n')
  assert until(30_000) { Jsoup.parse(get(address + 'index.html').body()).select('article tt').text() == 'edited' }
  assert plugins().size() == 1 : "one plugin process, kept running: ${plugins()}"

  // A second preview on the same port: refused, naming the port.
  def port = address.substring(address.lastIndexOf(':') + 1, address.length() - 1)
  def second = serve('busy', port)
  assert second.waitFor(120, TimeUnit.SECONDS)
  assert second.exitValue() != 0
  assert logOf('busy').contains("cannot serve on 127.0.0.1:${port}")

  // Ctrl-C: Maven ends, and so does the plugin.
  assert new ProcessBuilder('kill', '-INT', maven.pid().toString()).start().waitFor() == 0
  assert maven.waitFor(60, TimeUnit.SECONDS) : 'htmlize:serve did not end on SIGINT'
  assert until(3_000) { plugins().isEmpty() } : "plugin processes outlived htmlize:serve: ${plugins()}"
} finally {
  if (maven.isAlive()) {
    maven.destroyForcibly()
  }
}
true
