def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize: 0 pages rendered (0 written), 2 up to date, 0 removed; 0 plugins')
assert new File(basedir, 'target/generated-resources/htmlize/one.html').getText('UTF-8').contains('<tt>one</tt>')
