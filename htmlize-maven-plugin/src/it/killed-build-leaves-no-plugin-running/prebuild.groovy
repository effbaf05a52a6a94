// The Python sample plugin, copied into the project so that its processes can be told from other builds' by path;
// and a site large enough that rendering it takes a while.
import java.nio.file.*

def built = new File(basedir, '../../../../sample-plugins/htmlize-abbr-plugin/target/plugin').toPath()
def tools = basedir.toPath().resolve('tools/abbr')
Files.createDirectories(tools)
Files.list(built).filter { Files.isRegularFile(it) || Files.isDirectory(it) }.each { source ->
  Files.walk(source).forEach { from ->
    def to = tools.resolve(built.relativize(from).toString())
    if (Files.isDirectory(from)) {
      Files.createDirectories(to)
    } else {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES)
    }
  }
}
def pages = basedir.toPath().resolve('src/main/htmlize')
Files.createDirectories(pages)
(1..300).each { i ->
  Files.writeString(pages.resolve("p${i}.md"), "# Page ${i}\n\nI run :tt:`cmd ${i}` over :abbr:`RPC (remote calls)`.\n" +
      "\n${'Some text. ' * 200}\n")
}
true
