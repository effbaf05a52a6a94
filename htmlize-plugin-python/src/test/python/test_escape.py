"""htmlize_plugin.escape writes what the Java SDK's Html.escape writes, byte for byte."""
import unittest

import htmlize_plugin


class EscapeTest(unittest.TestCase):
    def test_the_five_characters_and_nothing_else(self):
        self.assertEqual(htmlize_plugin.escape("a < b && \"c\" 'd' > é ☃ 𝄞 \t"),
                         "a &lt; b &amp;&amp; &quot;c&quot; &#39;d&#39; &gt; é ☃ 𝄞 \t")

    def test_every_other_ascii_character_is_left_alone(self):
        others = "".join(chr(c) for c in range(128) if chr(c) not in "&<>\"'")
        self.assertEqual(htmlize_plugin.escape(others), others)

    def test_an_escaped_text_is_escaped_again(self):
        self.assertEqual(htmlize_plugin.escape("&amp;"), "&amp;amp;")


if __name__ == "__main__":
    unittest.main()
