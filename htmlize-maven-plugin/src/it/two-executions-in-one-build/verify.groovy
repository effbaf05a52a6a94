assert new File(basedir, 'target/docs/page.html').getText('UTF-8') == '<p><tt>doc</tt></p>\n'
assert new File(basedir, 'target/notes/page.html').getText('UTF-8') == '<p><tt>note</tt></p>\n'
assert new File(basedir, 'target/htmlize/docs/htmlize-state.json').exists()
assert new File(basedir, 'target/htmlize/notes/htmlize-state.json').exists()
def log = new File(basedir, 'build.log').getText('UTF-8')
// The second invocation finds both executions up to date: their states do not clash.
assert log.count('htmlize: 0 pages rendered (0 written), 1 up to date, 0 removed; 0 plugins') == 2
true
