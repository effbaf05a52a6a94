package htmlize

import "strings"

// escaper writes what the Java SDK's Html.escape writes (Go's html.EscapeString writes &#34; for a double quote).
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// Escape escapes text for an element's content or a double-quoted attribute, byte for byte as the Java SDK's
// Html.escape does: & becomes &amp;, < &lt;, > &gt;, " &quot; and ' &#39;; nothing else changes.
func Escape(s string) string {
	return escaper.Replace(s)
}
