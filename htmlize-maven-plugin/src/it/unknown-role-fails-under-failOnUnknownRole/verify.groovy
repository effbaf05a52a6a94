def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('[ERROR] page.md:3: unknown role :nobody: (no plugin registers role:nobody); left as written')
assert log.contains('htmlize: 1 problem (listed above)')
// Each problem is printed once: the failure's message does not list them again.
assert log.readLines().count { it.contains('page.md:3: unknown role :nobody:') } == 1
assert !new File(basedir, 'target/generated-resources/htmlize/page.html').exists()
