def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize: cannot resolve 5 plugins:')
assert log.contains('dev.htmlize.missing:no-such-plugin:9.9.9: ')
assert log.contains('missing-plugin does not exist')
assert log.contains('/src is a directory; name the program in it')
assert log.contains('not-coordinates: coordinates must be groupId:artifactId:version[:classifier], not not-coordinates')
assert log.contains('has no Main-Class in its manifest; set <mainClass>')
assert !new File(basedir, 'target/generated-resources/htmlize/page.html').exists()
true
