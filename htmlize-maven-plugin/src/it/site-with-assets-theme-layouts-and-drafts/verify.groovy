import org.jsoup.Jsoup

def log = new File(basedir, 'build.log').getText('UTF-8')
def out = new File(basedir, 'target/generated-resources/htmlize')
def preview = new File(basedir, 'target/preview')
def source = new File(basedir, 'src/main/htmlize')

// Assets: byte for byte; hidden files and assetExcludes left out; counted on the build's line.
assert new File(out, 'img/logo.png').bytes == new File(source, 'img/logo.png').bytes
assert new File(out, 'css/extra.css').bytes == new File(source, 'css/extra.css').bytes
assert !new File(out, '.hidden').exists()
assert !new File(out, 'img/source.psd').exists()
assert log.contains('htmlize: 4 pages rendered (4 written), 0 up to date, 0 removed; 2 assets (2 copied, 0 removed); 1 draft left out; 2 plugins')

// The default theme, with the site's menu from any depth and its stylesheet once.
assert new File(out, 'htmlize.css').isFile()
def guide = Jsoup.parse(new File(out, 'docs/guide.html'), 'UTF-8')
assert guide.selectFirst('html').attr('lang') == 'de'
assert guide.title() == 'Guide – The IT site'
assert guide.selectFirst('link[rel=stylesheet]').attr('href') == '../htmlize.css'
assert guide.selectFirst('.site-title a').attr('href') == '../index.html'
// The root's pages and a link to each section (its index page); then the current section's pages, index first.
assert guide.select('.site-nav a').collect { it.text() } == ['Welcome', 'Documentation']
assert guide.select('.site-nav a').collect { it.attr('href') } == ['../index.html', '../docs/index.html']
assert guide.select('.site-nav a[aria-current]').collect { it.text() } == ['Documentation']
assert guide.select('.section-nav a').collect { it.text() } == ['Documentation', 'Guide', 'Special']
assert guide.select('.section-nav a').collect { it.attr('href') } ==
    ['../docs/index.html', '../docs/guide.html', '../docs/special.html']
assert guide.select('.section-nav a[aria-current=page]').collect { it.text() } == ['Guide']
assert guide.select('.page-meta li').collect { it.text() } == ['Ann', '2024-05-01', 'manual', 'start']
assert guide.selectFirst('.page-nav .next').attr('href') == '../docs/special.html'
// The Python plugin highlighted the Java block with Pygments' classes, which the theme's stylesheet colours.
assert guide.selectFirst('pre.highlight > code.language-java span[class^=k]').text() == 'class'
assert guide.selectFirst('pre.highlight > code.language-java').wholeText() == 'class Hello { }\n'
assert new File(out, 'htmlize.css').getText('UTF-8').contains('.highlight .k')
def home = Jsoup.parse(new File(out, 'index.html'), 'UTF-8')
assert home.selectFirst('article img').attr('src') == 'img/logo.png'
assert home.selectFirst('article code').text() == 'the guide'

// A page in its own layout, with a partial.
def special = Jsoup.parse(new File(out, 'docs/special.html'), 'UTF-8')
assert special.selectFirst('body').hasClass('special')
assert special.select('.menu a[aria-current=page]').collect { it.text() } == ['Special']
assert special.selectFirst('.special-footer').text() == 'The IT site, after Guide'

// The link check: the broken link is named at its source line; the good ones are not.
assert log.contains('[WARNING] index.md:7: broken link to docs/nowhere.html')
assert !log.contains('broken link to docs/guide.html')
assert !log.contains('broken link to ../index.html#welcome')

// The draft: left out of the site, in the preview execution.
assert !new File(out, 'blog/soon.html').exists()
assert new File(preview, 'blog/soon.html').isFile()
assert Jsoup.parse(new File(preview, 'blog/soon.html'), 'UTF-8').select('.section-nav a').collect { it.text() } == ['Soon']
