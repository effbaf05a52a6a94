#!/usr/bin/python3
"""A plugin that exercises the Python SDK for its tests: roles that use the site, refuse their value, answer
something that is not a string, fail, or log; contents that answer None for a page that asks."""
import htmlize_plugin


class SdkTest:
    def __init__(self):
        self.site = None
        self.properties = {}

    def hooks(self):
        return ["role:title", "role:refuse", "role:number", "role:fail", "role:echo", "role:log", "contents"]

    def configure(self, properties, site):
        self.properties = properties
        self.site = site

    def process_role(self, role, value, post):
        if role == "title":
            page = self.site.page(value)
            if page is None:
                raise htmlize_plugin.RoleError("no page " + value)
            return page.title
        if role == "refuse":
            raise htmlize_plugin.RoleError("refused " + value)
        if role == "number":
            return 42
        if role == "fail":
            raise KeyError(value)
        if role == "log":
            htmlize_plugin.log("info", "logged " + value, page=post.source_path, count=len(value))
        return value + self.properties.get("suffix", "")

    def process_contents(self, html, post):
        return None if "<!-- none -->" in html else html + "<!-- pages: %d -->" % len(self.site.pages())


if __name__ == "__main__":
    htmlize_plugin.serve(SdkTest())
