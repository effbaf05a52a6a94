def page = new File(basedir, 'target/generated-resources/htmlize/page.html').getText('UTF-8')
assert page == '<p>A <tt>dependency</tt> plugin.</p>\n'
