package main

import (
	"errors"
	"testing"

	"dev.htmlize/htmlize"
)

func configured(t *testing.T, properties map[string]string) *conformance {
	c := &conformance{}
	if err := c.Configure(properties, &htmlize.Site{}); err != nil {
		t.Fatal(err)
	}
	c.page = func(sourcePath string) (htmlize.Post, bool, error) {
		switch sourcePath {
		case "docs/a.md":
			return htmlize.Post{Title: `A & "B"`, OutputPath: "docs/a&b.html"}, true, nil
		case "broken.md":
			return htmlize.Post{}, false, errors.New("the host's site: GetPage: unavailable")
		}
		return htmlize.Post{}, false, nil
	}
	return c
}

func TestTheRolesRenderWhatPluginMdSays(t *testing.T) {
	c := configured(t, map[string]string{"prefix": " <p> "})
	cases := []struct{ role, value, want string }{
		{"kbd", "", `<kbd class="empty"></kbd>`},
		{"kbd", "Ctrl'C", "<kbd> &lt;p&gt; Ctrl&#39;C</kbd>"},
		{"page", "docs/a.md", `<a href="docs/a&amp;b.html">A &amp; &quot;B&quot;</a>`},
	}
	for _, k := range cases {
		if got, err := c.ProcessRole(k.role, k.value, &htmlize.Post{}); err != nil || got != k.want {
			t.Errorf("%s %q = %q, %v; want %q", k.role, k.value, got, err, k.want)
		}
	}
	if got, _ := configured(t, map[string]string{}).ProcessRole("kbd", "x", nil); got != "<kbd>x</kbd>" {
		t.Errorf("without a prefix: %q", got)
	}
}

func TestRoleErrorsAreWhatPluginMdSays(t *testing.T) {
	c := configured(t, nil)
	for _, k := range []struct{ role, value, want string }{
		{"page", "none.md", "no page none.md"},
		{"fail", "x y", "refused: x y"},
	} {
		_, err := c.ProcessRole(k.role, k.value, nil)
		var role *htmlize.RoleError
		if !errors.As(err, &role) || err.Error() != k.want {
			t.Errorf("%s %q: %v, want the role error %q", k.role, k.value, err, k.want)
		}
	}
	_, err := c.ProcessRole("page", "broken.md", nil)
	var role *htmlize.RoleError
	if err == nil || errors.As(err, &role) {
		t.Errorf("a failed lookup is the plugin's failure, not a role error: %v", err)
	}
}

func TestContentsAppendsTheAuthorAndTheTitlesCodePoints(t *testing.T) {
	c := configured(t, nil)
	got, err := c.ProcessContents("<p>x</p>", &htmlize.Post{Author: "Zoë <z>", Title: "ünï \U0001F600"})
	if want := "<p>x</p><p class=\"by\">Zoë &lt;z&gt; \u00b7 5</p>"; err != nil || got != want {
		t.Errorf("ProcessContents = %q, %v; want %q", got, err, want)
	}
	if got, _ := c.ProcessContents("", &htmlize.Post{}); got != "<p class=\"by\"> \u00b7 0</p>" {
		t.Errorf("an empty page: %q", got)
	}
}
