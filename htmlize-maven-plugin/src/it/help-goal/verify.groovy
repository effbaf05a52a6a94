def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize:render')
assert log.contains('failOnUnknownRole')
assert log.contains('sourceDirectory')
// Every scalar parameter has a user property under htmlize., shown by the help.
for (name in ['threads', 'layout', 'callTimeout', 'startTimeout', 'sourceDirectory', 'author', 'skip', 'siteUrl']) {
  assert log.contains("User property: htmlize.${name}") : "no user property shown for ${name}"
}
