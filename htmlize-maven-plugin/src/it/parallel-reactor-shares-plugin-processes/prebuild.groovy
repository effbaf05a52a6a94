// The Go and Python plugins are started through a wrapper that records each launch (a file named by its pid, which
// the plugin keeps, since the wrapper execs it); the Java plugin JVM records its own, with -Xlog to a file named by
// its pid (see the parent POM). Every plugin launch of every build of this project is thus a file in launches/.
import java.nio.file.*
import java.nio.file.attribute.PosixFilePermissions

def base = basedir.toPath().toRealPath()
def samples = base.resolve('../../../../sample-plugins').normalize()
def tools = Files.createDirectories(base.resolve('tools'))
Files.createDirectories(base.resolve('launches'))
[
    'go-tt': samples.resolve('htmlize-go-tt-plugin/target/plugin/htmlize-go-tt-plugin'),
    'abbr' : samples.resolve('htmlize-abbr-plugin/target/plugin/abbr_plugin.py'),
].each { name, program ->
  def wrapper = tools.resolve(name)
  Files.writeString(wrapper, "#!/bin/sh\n: > '${base}/launches/${name}-'\$\$\nexec '${program}' \"\$@\"\n")
  Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString('rwxr-xr-x'))
}
true
