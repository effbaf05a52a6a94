assert new File(basedir, 'build.log').getText('UTF-8').contains('htmlize: skipped')
assert !new File(basedir, 'target/generated-resources/htmlize/page.html').exists()
