// A go-plugin 1.0.1 plugin written in Go, named as an <executable>, rendered the page as the Java tt plugin would.
def page = new File(basedir, 'target/generated-resources/htmlize/page.html').getText('UTF-8')
assert page == '<p>Run <tt>make &lt;all&gt;</tt> on &quot;main&quot; — then <tt>go vet</tt>.</p>\n'
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize: 1 page rendered (1 written), 0 up to date, 0 removed; 1 plugin')
assert !log.contains('[WARNING] [htmlize-go-tt-plugin]')
true
