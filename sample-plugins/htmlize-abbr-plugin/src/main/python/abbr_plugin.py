#!/usr/bin/python3
"""htmlize's sample plugin in Python: abbreviations.

:abbr:`HTML (HyperText Markup Language)` becomes <abbr title="HyperText Markup Language">HTML</abbr>. A bare
:abbr:`HTML` takes its expansion from the plugin's properties (<HTML>HyperText Markup Language</HTML>), or renders
without a title.
"""
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import htmlize_plugin  # noqa: E402 - after the path is set

WITH_EXPANSION = re.compile(r"^\s*(.+?)\s*\((.+)\)\s*$")


class Abbr:
    def __init__(self):
        self.known = {}

    def hooks(self):
        return ["role:abbr"]

    def configure(self, properties):
        self.known = dict(properties)

    def process_role(self, role, value, post):
        match = WITH_EXPANSION.match(value)
        short, title = (match.group(1), match.group(2)) if match else (value.strip(), self.known.get(value.strip()))
        if not short:
            raise ValueError("an empty abbreviation")
        if title:
            return '<abbr title="%s">%s</abbr>' % (html.escape(title), html.escape(short))
        return "<abbr>%s</abbr>" % html.escape(short)


if __name__ == "__main__":
    htmlize_plugin.serve(Abbr())
