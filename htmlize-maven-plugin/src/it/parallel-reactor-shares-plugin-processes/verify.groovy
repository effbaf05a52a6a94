// The modules of one build share the plugin processes: counted from launches/, where every plugin launch leaves a
// file named by its pid (see prebuild.groovy). Serial, each plugin is launched once for the four modules; with -T 2,
// at most twice; each module still renders with its own properties and sees its own site; and after every build,
// whether it succeeded, failed in a module or was interrupted with SIGINT, none of the processes runs.
import java.nio.file.*
import java.util.concurrent.TimeUnit
import org.jsoup.Jsoup

def base = basedir.toPath().toRealPath()
def launches = base.resolve('launches')
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def kinds = ['jvm', 'go-tt', 'abbr']

/** Each kind's launches: pids. */
def launched = { ->
  def byKind = kinds.collectEntries { [(it): []] }
  Files.list(launches).withCloseable { files ->
    files.each { file ->
      def name = file.fileName.toString()
      def kind = kinds.find { name.startsWith(it + '-') }
      assert kind != null : "unexpected file ${name}"
      byKind[kind] << Long.parseLong(name.substring(kind.length() + 1).replace('.log', ''))
    }
  }
  byKind
}
def running = { long pid ->
  try {
    def stat = new String(Files.readAllBytes(Paths.get('/proc', pid.toString(), 'stat')), 'ISO-8859-1')
    def state = stat.charAt(stat.lastIndexOf(')') + 2)
    return state != 'Z' && state != 'X'
  } catch (IOException e) {
    return false
  }
}
def until = { long millis, Closure<Boolean> condition ->
  long deadline = System.nanoTime() + millis * 1_000_000
  while (!condition()) {
    if (System.nanoTime() > deadline) {
      return false
    }
    Thread.sleep(5)
  }
  return true
}
/** No process of this build's launches runs (the build's end waits for them; 3 s for the system to reap them). */
def noneRuns = { String build ->
  def pids = launched().values().flatten()
  until(3_000) { pids.every { !running(it as long) } }
  def left = pids.findAll { running(it as long) }
  left.each { ProcessHandle.of(it as long).ifPresent { it.destroyForcibly() } }
  assert left.isEmpty() : "${build}: plugin processes still run after the build: ${left}"
}
def page = { String module, String name ->
  Jsoup.parse(base.resolve("${module}/target/generated-resources/htmlize/${name}").toFile(), 'UTF-8')
}
/** Every module rendered with its own properties, its own site. */
def modulesRendered = { List<String> modules ->
  modules.each { m ->
    def index = page(m, 'index.html')
    assert index.select('tt').text() == "make ${m}"
    assert index.select('abbr').attr('title') == "remote calls of ${m}"
    assert index.select('a').attr('href') == "${m}-guide.html"
    assert index.select('a').text() == "The guide of module ${m}"
  }
}
def jansi = Files.createDirectories(base.resolve('jansi'))
def start = { String name, List<String> arguments ->
  launches.toFile().deleteDir()
  Files.createDirectories(launches)
  def command = [mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}".toString()] + arguments
  def builder = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
      .redirectOutput(base.resolve("${name}.log").toFile())
  builder.environment().put('MAVEN_OPTS', "-Djansi.tmpdir=${jansi}".toString())
  builder.start()
}
def build = { String name, List<String> arguments ->
  def maven = start(name, arguments)
  assert maven.waitFor(600, TimeUnit.SECONDS) : "${name} did not finish"
  maven.exitValue()
}

// The invoker's build: serial, one launch of each plugin for four modules.
def serial = launched()
kinds.each { assert serial[it].size() == 1 : "serial: ${it} launched ${serial[it].size()} times: ${serial[it]}" }
noneRuns('serial')
modulesRendered(['a', 'b', 'c', 'd'])
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('3 plugins, 3 processes;') : 'module a starts them'
assert log.count('3 plugins, 3 processes (started by an earlier module)') == 3

// -T 2: two modules render at once, each with processes of its own; at most two of each for the four modules.
assert build('parallel', ['-T', '2', 'clean', 'package']) == 0 : 'the -T 2 build failed; see parallel.log'
def parallel = launched()
kinds.each { assert parallel[it].size() in 1..2 : "-T 2: ${it} launched ${parallel[it].size()} times" }
noneRuns('-T 2')
modulesRendered(['a', 'b', 'c', 'd'])

// A module that fails (b refers to a page of module a, not in its own site): the modules after it still use the
// same processes, and none outlives the failed build.
assert build('failed', ['-fae', '-Dit.broken', 'clean', 'package']) != 0 : 'module b should have failed'
def failedLog = base.resolve('failed.log').toFile().getText('UTF-8')
assert failedLog.contains('index.md') && failedLog.contains('a-guide.md')
def failed = launched()
kinds.each { assert failed[it].size() == 1 : "failed build: ${it} launched ${failed[it].size()} times" }
noneRuns('failed')
modulesRendered(['a', 'c', 'd'])

// Without sharing, each module starts its own.
assert build('unshared', ['-Dhtmlize.shareAcrossModules=false', 'clean', 'package']) == 0
def unshared = launched()
kinds.each { assert unshared[it].size() == 4 : "unshared: ${it} launched ${unshared[it].size()} times" }
noneRuns('unshared')

// Ctrl-C mid-build: SIGINT to Maven once the first plugin processes run; none is left 3 s after Maven exits.
def interrupted = start('interrupted', ['-T', '2', 'clean', 'package'])
assert until(120_000) { !launched().values().flatten().isEmpty() } : 'no plugin started; see interrupted.log'
['kill', '-INT', interrupted.pid().toString()].execute().waitFor()
assert interrupted.waitFor(120, TimeUnit.SECONDS) : 'Maven did not exit on SIGINT'
def pids = launched().values().flatten()
def ended = until(3_000) { pids.every { !running(it as long) } }
if (!ended) {
  def left = pids.findAll { running(it as long) }
  left.each { ProcessHandle.of(it as long).ifPresent { it.destroyForcibly() } }
  assert false : "3 s after SIGINT, plugin processes still run: ${left}"
}
true
