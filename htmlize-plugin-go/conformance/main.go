// Command htmlize-conformance-plugin is the conformance plugin written with the Go SDK: the behaviour that
// htmlize-maven-plugin/src/test/resources/conformance/PLUGIN.md specifies, which the Java and Python SDKs' versions
// share byte for byte.
package main

import (
	"strconv"
	"unicode/utf8"

	"dev.htmlize/htmlize"
)

// conformance is the plugin. Configure sets its fields before any page of a render, again for each render.
type conformance struct {
	prefix string
	// page looks a page up by source path: the site's Page (before Configure, that of no site, which fails).
	page func(sourcePath string) (htmlize.Post, bool, error)
}

func (*conformance) Hooks() []string {
	return []string{"role:kbd", "role:page", "role:fail", "contents"}
}

// Configure keeps the prefix property as given (default empty) and the site.
func (c *conformance) Configure(properties map[string]string, site *htmlize.Site) error {
	c.prefix = properties["prefix"]
	c.page = site.Page
	return nil
}

func (c *conformance) ProcessRole(role, value string, _ *htmlize.Post) (string, error) {
	switch role {
	case "kbd":
		if value == "" {
			return `<kbd class="empty"></kbd>`, nil
		}
		return "<kbd>" + htmlize.Escape(c.prefix+value) + "</kbd>", nil
	case "page":
		page, found, err := c.page(value)
		if err != nil {
			return "", err
		}
		if !found {
			return "", htmlize.RoleErrorf("no page %s", value)
		}
		return `<a href="` + htmlize.Escape(page.OutputPath) + `">` + htmlize.Escape(page.Title) + "</a>", nil
	default: // fail, the only other role the SDK sends here
		return "", htmlize.RoleErrorf("refused: %s", value)
	}
}

// ProcessContents appends the page's author and the number of code points of its title.
func (*conformance) ProcessContents(html string, post *htmlize.Post) (string, error) {
	return html + `<p class="by">` + htmlize.Escape(post.Author) + " \u00b7 " +
		strconv.Itoa(utf8.RuneCountInString(post.Title)) + "</p>", nil
}

func main() {
	var noSite *htmlize.Site
	htmlize.Serve(&conformance{page: noSite.Page})
}
