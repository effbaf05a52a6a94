def actual = new File(basedir, 'target/generated-resources/htmlize/sampletext.html').bytes
def expected = new File(basedir, 'expected.html').bytes
assert actual == expected : "the article's sample must render byte for byte as its Go program did"
