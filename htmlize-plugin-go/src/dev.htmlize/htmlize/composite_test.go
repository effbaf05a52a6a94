package htmlize

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// roles renders its roles with a function.
type roles struct {
	hooks  []string
	render func(role, value string, post *Post) (string, error)
}

func (r *roles) Hooks() []string { return r.hooks }
func (r *roles) ProcessRole(role, value string, post *Post) (string, error) {
	return r.render(role, value, post)
}

// batch renders a page's roles at once and records what it got.
type batch struct {
	hooks  []string
	got    [][]RoleOccurrence
	answer func(roles []RoleOccurrence) ([]string, error)
}

func (b *batch) Hooks() []string { return b.hooks }
func (b *batch) ProcessRoles(post *Post, roles []RoleOccurrence) ([]string, error) {
	b.got = append(b.got, roles)
	return b.answer(roles)
}

// contents appends its mark to the body and records its configuration.
type contents struct {
	mark       string
	configured *[]string
	properties map[string]string
}

func (c *contents) Hooks() []string { return []string{"contents"} }
func (c *contents) ProcessContents(html string, post *Post) (string, error) {
	return html + c.mark, nil
}
func (c *contents) Configure(properties map[string]string, site *Site) error {
	*c.configured = append(*c.configured, c.mark)
	c.properties = properties
	properties["changed by "+c.mark] = "yes"
	return nil
}

type wrongSignature struct{}

func (wrongSignature) Hooks() []string                                           { return []string{"role:x"} }
func (wrongSignature) ProcessRole(role, value string, post Post) (string, error) { return "", nil }

type pointerMethods struct{}

func (pointerMethods) Hooks() []string                                             { return []string{"role:x"} }
func (*pointerMethods) ProcessRole(role, value string, post *Post) (string, error) { return "", nil }

type hooksOnly struct{ hooks []string }

func (h hooksOnly) Hooks() []string { return h.hooks }

func TestAnUnfitHtmlizerIsRefusedSayingWhy(t *testing.T) {
	cases := []struct {
		htmlizers []Htmlizer
		want      string
	}{
		{nil, "no htmlizer to serve"},
		{[]Htmlizer{nil}, "a nil htmlizer to serve"},
		{[]Htmlizer{hooksOnly{[]string{"role:a-b"}}}, `htmlize.hooksOnly declares an invalid hook "role:a-b": hooks are "contents" or "role:NAME"`},
		{[]Htmlizer{hooksOnly{[]string{"Contents"}}}, `declares an invalid hook "Contents"`},
		{[]Htmlizer{hooksOnly{[]string{"role:x"}}}, "htmlize.hooksOnly declares the hook role:x but has no method ProcessRole(role, value string, post *htmlize.Post) (string, error) nor ProcessRoles("},
		{[]Htmlizer{hooksOnly{[]string{"contents"}}}, "htmlize.hooksOnly declares the hook contents but has no method ProcessContents(html string, post *htmlize.Post) (string, error)"},
		{[]Htmlizer{wrongSignature{}}, "htmlize.wrongSignature has a method ProcessRole that does not match htmlize.RoleRenderer: want ProcessRole(string, string, *htmlize.Post) (string, error)"},
		{[]Htmlizer{pointerMethods{}}, "(*htmlize.pointerMethods has ProcessRole: serve a pointer, &htmlize.pointerMethods{})"},
	}
	for _, c := range cases {
		_, err := newComposite(c.htmlizers)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("newComposite(%#v) = %v, want an error with %q", c.htmlizers, err, c.want)
		}
	}
	if _, err := newComposite([]Htmlizer{&pointerMethods{}, hooksOnly{nil}}); err != nil {
		t.Errorf("a pointer with the methods, and an htmlizer without hooks: %v", err)
	}
}

func TestSeveralHtmlizersServeAsOne(t *testing.T) {
	var configured []string
	first := &roles{hooks: []string{"role:x", "role:y"}, render: func(role, value string, post *Post) (string, error) {
		return "first " + role + " " + value + " on " + post.SourcePath, nil
	}}
	second := &batch{hooks: []string{"role:y", "role:z"}, answer: func(roles []RoleOccurrence) ([]string, error) {
		html := make([]string, len(roles))
		for i, r := range roles {
			html[i] = "second " + r.Role + " " + r.Value
		}
		return html, nil
	}}
	a := &contents{mark: "[a]", configured: &configured}
	b := &contents{mark: "[b]", configured: &configured}
	c, err := newComposite([]Htmlizer{first, a, second, b})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"role:x", "role:y", "contents", "role:z"}; !reflect.DeepEqual(c.hooks, want) {
		t.Errorf("hooks = %q, want %q", c.hooks, want)
	}

	page := []RoleOccurrence{{"x", "1", 1}, {"y", "2", 2}, {"z", "3", 3}, {"x", "4", 4}}
	html, f := c.processRoles(&Post{SourcePath: "a.md"}, page)
	if f != nil {
		t.Fatal(f.err)
	}
	want := []string{"first x 1 on a.md", "second y 2", "second z 3", "first x 4 on a.md"}
	if !reflect.DeepEqual(html, want) {
		t.Errorf("html = %q, want %q (y is the last registrant's)", html, want)
	}
	if got := second.got; len(got) != 1 || !reflect.DeepEqual(got[0], []RoleOccurrence{{"y", "2", 2}, {"z", "3", 3}}) {
		t.Errorf("the second htmlizer got %v, want only its own occurrences", got)
	}

	body, err := c.processContents("<p>x</p>", &Post{})
	if err != nil || body != "<p>x</p>[a][b]" {
		t.Errorf("processContents = %q, %v; want the hooks in order", body, err)
	}

	properties := map[string]string{"k": "v"}
	if err := c.configure(properties, &Site{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(configured, []string{"[a]", "[b]"}) {
		t.Errorf("configured %q, want in order", configured)
	}
	if len(properties) != 1 || len(b.properties) != 2 || b.properties["k"] != "v" {
		t.Errorf("each htmlizer gets its own copy of the properties: %v, %v", properties, b.properties)
	}
}

func TestAFailureIsBlamedOnItsOccurrenceInThePage(t *testing.T) {
	first := &roles{hooks: []string{"role:x"}, render: func(role, value string, post *Post) (string, error) {
		if value == "bad" {
			return "", RoleErrorf("bad %s", role)
		}
		return value, nil
	}}
	second := &batch{hooks: []string{"role:y"}, answer: func(roles []RoleOccurrence) ([]string, error) {
		return nil, RoleErrorAt(1, "the second y")
	}}
	c, err := newComposite([]Htmlizer{first, second})
	if err != nil {
		t.Fatal(err)
	}
	_, f := c.processRoles(&Post{}, []RoleOccurrence{{Role: "x"}, {Role: "x", Value: "bad"}})
	if f == nil || f.index != 1 || f.err.Error() != "bad x" {
		t.Errorf("processRoles = %+v, want bad x at 1", f)
	}
	_, f = c.processRoles(&Post{}, []RoleOccurrence{{Role: "y"}, {Role: "x"}, {Role: "x"}, {Role: "y"}})
	if f == nil || f.index != 3 || f.err.Error() != "the second y" {
		t.Errorf("processRoles = %+v, want the second y at 3, its index in the page", f)
	}
	_, f = c.processRoles(&Post{}, []RoleOccurrence{{Role: "x"}, {Role: "kbd"}})
	if f == nil || f.index != -1 || !strings.Contains(f.err.Error(), "no htmlizer here registers the role kbd") {
		t.Errorf("processRoles = %+v, want no htmlizer for kbd, at no occurrence", f)
	}
	var role *RoleError
	if !errors.As(RoleErrorf("x %d", 1), &role) || role.Message != "x 1" || role.Index != -1 {
		t.Errorf("RoleErrorf = %+v", role)
	}
}
