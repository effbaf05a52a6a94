#!/usr/bin/python3
"""The conformance plugin with the Python SDK: exactly the behaviour of
htmlize-maven-plugin/src/test/resources/conformance/PLUGIN.md, which the Java and Go versions have too."""
import htmlize_plugin
from htmlize_plugin import escape as esc


class Conformance:
    def __init__(self):
        self.prefix = ""
        self.site = None

    def hooks(self):
        return ["role:kbd", "role:page", "role:fail", "contents"]

    def configure(self, properties, site):
        self.prefix = properties.get("prefix", "")
        self.site = site

    def process_role(self, role, value, post):
        if role == "kbd":
            return '<kbd class="empty"></kbd>' if value == "" else "<kbd>" + esc(self.prefix + value) + "</kbd>"
        if role == "page":
            page = self.site.page(value)
            if page is None:
                raise htmlize_plugin.RoleError("no page " + value)
            return '<a href="' + esc(page.output_path) + '">' + esc(page.title) + "</a>"
        if role == "fail":
            raise htmlize_plugin.RoleError("refused: " + value)
        raise ValueError("no role " + role)

    def process_contents(self, html, post):
        # N: the number of Unicode code points of the title, which is what len() counts in a Python str.
        return html + '<p class="by">' + esc(post.author) + " \u00b7 " + str(len(post.title)) + "</p>"


if __name__ == "__main__":
    htmlize_plugin.serve(Conformance())
