package htmlize

import "testing"

func TestEscapeWritesWhatJavasHtmlEscapeWrites(t *testing.T) {
	cases := map[string]string{
		"":                        "",
		"plain":                   "plain",
		"a < b && \"c\"":          "a &lt; b &amp;&amp; &quot;c&quot;",
		"it's":                    "it&#39;s",
		"<br>":                    "&lt;br&gt;",
		"&amp;":                   "&amp;amp;",
		"ünï — ☃ · \U0001F600":    "ünï — ☃ · \U0001F600",
		"a`b\t\n\r/=\\":           "a`b\t\n\r/=\\",
		"<'\"&>":                  "&lt;&#39;&quot;&amp;&gt;",
		"\x00 invalid \xff utf-8": "\x00 invalid \xff utf-8",
	}
	for in, want := range cases {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeLeavesEveryOtherByteAlone(t *testing.T) {
	special := map[byte]bool{'&': true, '<': true, '>': true, '"': true, '\'': true}
	for b := 0; b < 256; b++ {
		if special[byte(b)] {
			continue
		}
		in := string([]byte{'x', byte(b), 'y'})
		if got := Escape(in); got != in {
			t.Errorf("Escape(%q) = %q, want it unchanged", in, got)
		}
	}
}
