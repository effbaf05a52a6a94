// Command htmlize-go-tt-plugin is the tt sample plugin written in Go with the htmlize SDK (dev.htmlize/htmlize, in
// htmlize-plugin-go): :tt:`text` becomes <tt>text</tt>, the text HTML-escaped, exactly as the Java
// htmlize-tt-plugin renders it (with the same element property, for another element than the obsolete tt).
package main

import (
	"fmt"
	"strings"

	"dev.htmlize/htmlize"
)

// elements are what the element property may name: HTML5 calls tt obsolete, so a site may choose another.
var elements = map[string]bool{"tt": true, "code": true, "kbd": true, "samp": true, "var": true}

// log is the plugin's logger: its lines reach the build log, with @module=tt.
var log = htmlize.Logger().Named("tt")

// tt renders the role tt. Its element is set by Configure, before any page of a render (each render the process
// serves configures it again); the calls that come concurrently after that only read it.
type tt struct {
	element string
}

func (*tt) Hooks() []string {
	return []string{"role:tt"}
}

// Configure takes the element property, as the Java plugin does (default tt, the article's).
func (t *tt) Configure(properties map[string]string, _ *htmlize.Site) error {
	element := "tt"
	if chosen, ok := properties["element"]; ok {
		element = strings.TrimSpace(chosen)
	}
	if !elements[element] {
		return fmt.Errorf("element must be one of tt, code, kbd, samp, var, not %q", element)
	}
	t.element = element
	log.Debug("configured", "properties", len(properties))
	return nil
}

func (t *tt) ProcessRole(_, value string, _ *htmlize.Post) (string, error) {
	return "<" + t.element + ">" + htmlize.Escape(value) + "</" + t.element + ">", nil
}

func main() {
	htmlize.Serve(&tt{element: "tt"})
}
