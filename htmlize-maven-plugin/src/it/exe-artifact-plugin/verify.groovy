def page = new File(basedir, 'target/generated-resources/htmlize/page.html').getText('UTF-8')
assert page == '<p>An <abbr title="executable">EXE</abbr> artifact.</p>\n'
def copy = new File(basedir, 'target/htmlize/default/plugins/abbr-exe-1.0-linux-x86_64.exe')
assert copy.canExecute() : "the exe is copied under target/htmlize and made executable"
true
