def page = new File(basedir, 'target/generated-resources/htmlize/page.html').getText('UTF-8')
assert page == '<p>Styled with <abbr title="Cascading Style Sheets">CSS</abbr> over ' +
    '<abbr title="HyperText Markup Language">HTML</abbr>.</p>\n'
