def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('[WARNING] page.md:3: unknown role :nobody: (no plugin registers role:nobody); left as written')
def page = new File(basedir, 'target/generated-resources/htmlize/page.html').getText('UTF-8')
assert page.contains('an :nobody:`x` role')
