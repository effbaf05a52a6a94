import org.jsoup.Jsoup

def out = new File(basedir, 'target/generated-resources/htmlize')
def index = new File(out, 'index.html').getText('UTF-8')
// The default theme: the page's title, then the site's (the project's name).
assert Jsoup.parse(index).title() == 'Welcome – markdown-site-with-plugins-by-coordinates'
assert index.contains('<meta name="author" content="Ann">')
assert index.contains('<li><a href="#start">Start</a></li>')
assert index.contains('run <tt>mvn package</tt>.')
assert index.contains('<a class="issue" href="https://tracker.example/issues/12">#12</a>')
// The ref plugin found the guide's title through the Site service the build offers over go-plugin's broker.
assert index.contains('Read <a class="ref" href="docs/guide.html">The guide</a>;')
def guide = new File(out, 'docs/guide.html').getText('UTF-8')
assert Jsoup.parse(guide).title() == 'The guide – markdown-site-with-plugins-by-coordinates'
assert guide.contains('<td><tt>mvn verify</tt></td>')
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('htmlize: 2 pages rendered (2 written), 0 up to date, 0 removed; 4 plugins')
// The pages are resources: package puts them in the jar.
def jar = new java.util.jar.JarFile(new File(basedir, 'target/markdown-site-with-plugins-by-coordinates-1.0.jar'))
assert jar.getEntry('docs/guide.html') != null
assert jar.getEntry('htmlize.css') != null
jar.close()
