"""The Python conformance plugin against its spec (htmlize-maven-plugin/src/test/resources/conformance/PLUGIN.md),
as a real process through htmlize_plugin.testing."""
import unittest

from htmlize_plugin import testing
from support import CONFORMANCE_PLUGIN, plugin_command

GUIDE = testing.post("docs/guide.md", title="Guide <&> \"'", author="Zoë & Ann",
                     output_path="docs/guide.html?a=1&b='2'")
POST = testing.post("a.md", title="Ça · 日本語 \U0001F600", author="<Bob>")


class ConformanceTest(testing.PluginTestCase):
    command = plugin_command(CONFORMANCE_PLUGIN)
    properties = {"prefix": " <&> "}
    pages = [GUIDE, POST]

    def test_hooks_in_order(self):
        self.assertEqual(self.plugin.hooks(), ["role:kbd", "role:page", "role:fail", "contents"])

    def test_kbd(self):
        self.assertEqual(self.plugin.process_roles(POST, [("kbd", ""), ("kbd", "Ctrl+'C'"), ("kbd", " ")]), [
            '<kbd class="empty"></kbd>', "<kbd> &lt;&amp;&gt; Ctrl+&#39;C&#39;</kbd>",
            "<kbd> &lt;&amp;&gt;  </kbd>"])

    def test_kbd_without_a_prefix(self):
        with testing.start(plugin_command(CONFORMANCE_PLUGIN)) as plugin:
            plugin.configure({}, pages=[])
            self.assertEqual(plugin.process_role("kbd", "a\"b", POST), "<kbd>a&quot;b</kbd>")

    def test_page(self):
        self.assertEqual(self.plugin.process_role("page", "docs/guide.md", POST),
                         '<a href="docs/guide.html?a=1&amp;b=&#39;2&#39;">Guide &lt;&amp;&gt; &quot;&#39;</a>')
        with self.assertRaises(testing.PluginError) as raised:
            self.plugin.process_roles(POST, [("kbd", "x"), ("page", "docs/none.md")])
        self.assertEqual((raised.exception.message, raised.exception.role_index), ("no page docs/none.md", 1))

    def test_fail(self):
        self.assertEqual(self.plugin.process_roles_batch([(POST, [("kbd", "x"), ("fail", "why <not>")])]),
                         [testing.PageError("refused: why <not>", 1)])

    def test_contents_count_code_points(self):
        # "Ça · 日本語 😀": 10 code points (the emoji is one, though two UTF-16 units).
        self.assertEqual(self.plugin.process_contents("<p>x</p>\n", POST),
                         '<p>x</p>\n<p class="by">&lt;Bob&gt; \u00b7 10</p>')
        self.assertEqual(self.plugin.process_contents_batch([("", GUIDE), ("", testing.post("b.md"))]), [
            '<p class="by">Zoë &amp; Ann \u00b7 12</p>', '<p class="by"> \u00b7 0</p>'])


if __name__ == "__main__":
    unittest.main()
