import com.rometools.rome.io.SyndFeedInput
import javax.xml.XMLConstants
import javax.xml.transform.stream.StreamSource
import javax.xml.validation.SchemaFactory

def out = new File(basedir, 'target/generated-resources/htmlize')
def log = new File(basedir, 'build.log').getText('UTF-8')
assert !log.contains('broken link')

// The sitemap, valid by the sitemaps.org schema, with every page's absolute address.
def sitemap = new File(out, 'sitemap.xml')
def schema = new File(basedir, '../../../src/test/resources/schemas/sitemap.xsd')
SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(schema).newValidator()
    .validate(new StreamSource(sitemap))
def urlset = new groovy.xml.XmlSlurper().parse(sitemap)
assert urlset.url.collect { it.loc.text() } == ['https://example.org/blog/index.html',
    'https://example.org/blog/posts/middle.html', 'https://example.org/blog/posts/newest.html',
    'https://example.org/blog/posts/oldest.html']
assert urlset.url.collect { it.lastmod.text() } == ['', '2024-02-01', '2024-03-01T12:00:00Z', '2024-01-01']

// The feed, read by a feed library: the newest two dated pages, newest first, with absolute links.
def feed = new SyndFeedInput().build(new StringReader(new File(out, 'feed.xml').getText('UTF-8')))
assert feed.feedType == 'atom_1.0'
assert feed.title == 'The feed site'
assert feed.entries.collect { it.title } == ['Newest', 'Middle']
assert feed.entries.collect { it.link } == ['https://example.org/blog/posts/newest.html',
    'https://example.org/blog/posts/middle.html']
assert feed.entries.collect { it.uri } == feed.entries.collect { it.link }
assert feed.entries[0].author == 'Ann'
assert feed.entries[1].description.value == 'In the middle'
