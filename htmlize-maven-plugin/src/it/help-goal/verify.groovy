def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize:render')
assert log.contains('failOnUnknownRole')
assert log.contains('sourceDirectory')
