def log = new File(basedir, 'build.log').getText('UTF-8')
def layouts = new File(basedir, 'src/main/layouts').canonicalPath
assert log.contains('[ERROR] index.md:3: broken link to missing.html#part')
assert log.contains('[ERROR] other.md:3: unknown layout fancy: there is no fancy.mustache in the layout directory '
    + layouts + ', which does not exist; default and none are built in')
assert log.contains('htmlize: 2 problems (listed above)')
assert new File(basedir, 'target/generated-resources/htmlize/index.html').isFile()
assert !new File(basedir, 'target/generated-resources/htmlize/other.html').exists()
