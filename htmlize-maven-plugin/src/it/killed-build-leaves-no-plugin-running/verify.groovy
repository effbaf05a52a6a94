// Kills real Maven builds of this project at a dozen moments, from the first instant a plugin process exists to
// mid-render, with SIGKILL (and twice with SIGTERM): 3 s later, no process of its plugins runs, every time (the Java
// plugin by coordinates, the one declared as a dependency of the Maven plugin, the Python sample). A last, quiet
// build then succeeds, leaves no temporary file among the pages and no socket directory of a killed build.
import java.nio.file.*
import java.util.concurrent.TimeUnit

def base = basedir.toPath().toRealPath()
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def pages = base.resolve('target/generated-resources/htmlize')
// A plugin of this project is a JVM whose argument file is under its target/, or the Python plugin copied into it.
def markers = [base.resolve('target/htmlize').toString(), base.resolve('tools/abbr').toString()]

def running = { long pid ->
  try {
    def stat = new String(Files.readAllBytes(Paths.get('/proc', pid.toString(), 'stat')), 'ISO-8859-1')
    def state = stat.charAt(stat.lastIndexOf(')') + 2)
    return state != 'Z' && state != 'X'
  } catch (IOException e) {
    return false
  }
}
def plugins = { ->
  ProcessHandle.allProcesses().filter { h ->
    def command = h.info().commandLine().orElse('')
    markers.any { command.contains(it) } && running(h.pid())
  }.toList()
}
def deleteTree = { Path root ->
  if (Files.exists(root)) {
    Files.walk(root).sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) }
  }
}
def until = { long millis, Closure<Boolean> condition ->
  long deadline = System.nanoTime() + millis * 1_000_000
  while (!condition()) {
    if (System.nanoTime() > deadline) {
      return false
    }
    Thread.sleep(2)
  }
  return true
}
// Maven unpacks its console's native library into the temporary directory and removes it at exit, which a killed
// build never reaches: these builds unpack it here instead.
def jansi = Files.createDirectories(base.resolve('jansi'))
def build = { String name ->
  deleteTree(base.resolve('target'))
  def builder = new ProcessBuilder(mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}", 'htmlize:render')
      .directory(base.toFile()).redirectErrorStream(true).redirectOutput(base.resolve("${name}.log").toFile())
  builder.environment().put('MAVEN_OPTS', "-Djansi.tmpdir=${jansi}".toString())
  builder.start()
}

// [signal, moment]: milliseconds after the first plugin process appeared, or 'page' for the first page written.
def runs = [0, 5, 15, 30, 60, 100, 160, 250, 400, 650, 1000, 'page'].collect { ['KILL', it] } +
    [['TERM', 200], ['TERM', 'page']]
def killed = []
runs.eachWithIndex { run, i ->
  def (signal, moment) = run
  def name = "killed-${i}-${signal}-${moment}"
  def maven = build(name)
  boolean reached
  if (moment == 'page') {
    reached = until(120_000) { Files.isDirectory(pages) && Files.list(pages).withCloseable { it.findAny().isPresent() } }
  } else {
    reached = until(120_000) { !plugins().isEmpty() }
    if (reached) {
      Thread.sleep(moment as long)
    }
  }
  if (!reached || !maven.isAlive()) {
    maven.destroyForcibly()
    throw new AssertionError("${name}: the build ended or hung before the moment to kill it; see ${name}.log")
  }
  killed << maven.pid()
  if (signal == 'KILL') {
    maven.destroyForcibly()
  } else {
    maven.destroy()
  }
  maven.waitFor(60, TimeUnit.SECONDS)
  if (!until(3_000) { plugins().isEmpty() }) {
    def left = plugins()
    left.each { it.destroyForcibly() }
    throw new AssertionError("${name}: 3 s after SIG${signal}, plugin processes still run: " +
        left.collect { "${it.pid()} ${it.info().commandLine().orElse('')}" })
  }
}

// A quiet build after all that: it renders every page, leaves no temporary file, and no socket directory of the
// killed builds is left (their plugins removed theirs; the next plugin start sweeps any a build left unstarted).
def last = build('last')
assert last.waitFor(300, TimeUnit.SECONDS) : 'the last build did not finish'
assert last.exitValue() == 0 : 'the last build failed; see last.log'
assert new File(pages.toFile(), 'p7.html').getText('UTF-8').contains('<tt>cmd 7</tt>')
assert new File(pages.toFile(), 'p7.html').getText('UTF-8').contains('<abbr title="remote calls">RPC</abbr>')
assert new File(pages.toFile(), 'p7.html').getText('UTF-8').contains('<b>I (Joe)</b>')
def temporary = Files.walk(pages).filter { it.fileName.toString().endsWith('.tmp') }.toList()
assert temporary.isEmpty() : "temporary files left among the pages: ${temporary}"
def tmp = Paths.get(System.getProperty('java.io.tmpdir'))
def socketDirectories = killed.collectMany { pid ->
  Files.list(tmp).withCloseable { s -> s.filter { it.fileName.toString().startsWith("plugin-${pid}-") }.toList() }
}
assert socketDirectories.isEmpty() : "socket directories of killed builds are left: ${socketDirectories}"
assert plugins().isEmpty()
true
