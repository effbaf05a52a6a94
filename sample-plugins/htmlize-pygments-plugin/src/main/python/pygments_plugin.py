#!/usr/bin/python3
"""htmlize's sample plugin in Python: code highlighting with Pygments (Debian's python3-pygments).

A contents plugin. In a page's body, a fenced code block whose language Pygments knows by that alias (```java,
```python, ```xml, ...) becomes <pre class="highlight"><code class="language-java">...</code></pre>, its tokens in
spans with Pygments' short CSS classes (k, s, c, nt, na, ...; `pygmentize -S default -f html -a .highlight` writes a
style sheet for them). Only spans are added: the code's text stays as it was, to the last newline. A block in a
language Pygments does not know, or in none, is left byte for byte as it was. The property languages, comma-separated
aliases ("java, python"), limits highlighting to those languages; an alias that Pygments does not know fails the
configuration.

The blocks are found with a regular expression, not an HTML parser: the body is a fragment that one known renderer
wrote, and commonmark-java writes a fenced block in exactly one shape, <pre><code class="language-X">CODE</code></pre>,
where X is the first word of the info string and CODE the code's text, both HTML-escaped (& < > " as &amp; &lt; &gt;
&quot;). So CODE holds no "<", and [^<]* ends at the block's own </code>; raw HTML of that shape with markup inside
is not taken for a code block, since that markup has a "<".

Each call makes its own lexer and formatter, so that calls from several threads share nothing but the configured
languages, which each configure sets before the render's first page.
"""
import html
import os
import re
import sys

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import htmlize_plugin  # noqa: E402 - after the path is set

# A fenced code block as commonmark-java writes it: the language (escaped) in group 1, the code (escaped) in group 2.
CODE_BLOCK = re.compile(r'<pre><code class="language-([^"<>]+)">([^<]*)</code></pre>')


def lexer(alias):
    """Pygments' lexer for this alias, or None. It keeps the code's leading and trailing blank lines."""
    try:
        return get_lexer_by_name(alias, stripnl=False)
    except ClassNotFound:
        return None


class Pygments:
    def __init__(self):
        self.languages = None

    def hooks(self):
        return ["contents"]

    def configure(self, properties):
        aliases = [a.strip().lower() for a in properties.get("languages", "").split(",") if a.strip()]
        unknown = [a for a in aliases if lexer(a) is None]
        if unknown:
            raise ValueError("languages: Pygments knows no language %s" % ", ".join(unknown))
        self.languages = frozenset(aliases) or None

    def process_contents(self, contents, post):
        return CODE_BLOCK.sub(self.highlight, contents)

    def highlight(self, block):
        """The highlighted block, or the block as it was."""
        language, code = html.unescape(block.group(1)), html.unescape(block.group(2))
        if self.languages is not None and language.lower() not in self.languages:
            return block.group(0)
        found = lexer(language)
        if found is None:
            return block.group(0)
        spans = pygments.highlight(code, found, HtmlFormatter(nowrap=True))
        # Pygments ends the code with a newline if it has none (an empty block); the text is the code's, no more.
        if not code.endswith("\n") and spans.endswith("\n"):
            spans = spans[:-1]
        return '<pre class="highlight"><code class="language-%s">%s</code></pre>' % (block.group(1), spans)


if __name__ == "__main__":
    htmlize_plugin.serve(Pygments())
