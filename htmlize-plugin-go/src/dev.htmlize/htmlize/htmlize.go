// Package htmlize is the SDK for htmlize plugins written in Go: implement Htmlizer and call Serve from main.
//
//	type shout struct{}
//
//	func (shout) Hooks() []string { return []string{"role:shout"} }
//
//	func (shout) ProcessRole(role, value string, post *htmlize.Post) (string, error) {
//		return "<strong>" + htmlize.Escape(value) + "</strong>", nil
//	}
//
//	func main() { htmlize.Serve(shout{}) }
//
// Serve does what go-plugin (Debian's 1.0.1) leaves to a plugin: htmlize's handshake, the logical plugin "htmlize"
// in gRPC mode, logs that reach the build (see Logger), the exit when the build dies, the socket in the directory
// the build made for it, and every call of htmlize.v1.Htmlizer, batch calls included, over the methods the
// htmlizer has: Configure (Configurer), ProcessRole (RoleRenderer), ProcessRoles (RolesRenderer) and
// ProcessContents (ContentsProcessor). The build calls a plugin concurrently: these methods must be safe for
// concurrent use (after Configure, which comes before any page of a render, and again before the next render the
// process serves: the next module of the build, with its own properties and site).
//
// The stubs of the wire contract are the package dev.htmlize/htmlize/v1 (package htmlize_v1, generated from
// htmlizer.proto); a plugin written with this package does not need them.
package htmlize

// Htmlizer is what a plugin implements: the hooks it wants, and any of the optional interfaces Configurer,
// RoleRenderer, RolesRenderer and ContentsProcessor for them. Serve checks that every hook has its method: a role
// hook needs ProcessRole or ProcessRoles, the contents hook needs ProcessContents.
type Htmlizer interface {
	// Hooks names what the plugin is called for: "contents" for each page's whole HTML body (ProcessContents), and
	// "role:NAME" for each role :NAME:`value` it renders (ProcessRole). Role names are letters, digits and
	// underscores.
	Hooks() []string
}

// Configurer is implemented by an Htmlizer that takes settings or looks at the site.
type Configurer interface {
	// Configure is called before any page of a render, with the plugin's <properties> from the build and the site:
	// every page's metadata. A process may serve several renders in turn (the modules of one build), each beginning
	// with Configure, with its own properties and site; never during a render. An error fails the build, with its
	// message.
	Configure(properties map[string]string, site *Site) error
}

// RoleRenderer is implemented by an Htmlizer that renders roles one at a time.
type RoleRenderer interface {
	// ProcessRole renders one occurrence of one of the Htmlizer's roles (role, without colons) whose text between
	// the backticks is value, on the page post. The host inserts the HTML as is: escape what should not be markup
	// (Escape). Return an error made by RoleErrorf for a value the page's author must fix: the build reports it at
	// the occurrence's line.
	ProcessRole(role, value string, post *Post) (string, error)
}

// RolesRenderer is implemented by an Htmlizer that renders all of a page's roles at once, to share work among
// them. Without it, the SDK calls ProcessRole for each occurrence.
type RolesRenderer interface {
	// ProcessRoles renders every occurrence of the Htmlizer's roles on the page post and answers one HTML string
	// per occurrence, in order. Return an error made by RoleErrorAt to blame one occurrence.
	ProcessRoles(post *Post, roles []RoleOccurrence) ([]string, error)
}

// ContentsProcessor is implemented by an Htmlizer with the "contents" hook.
type ContentsProcessor interface {
	// ProcessContents transforms a page's whole HTML body, after its roles are rendered, and answers the new body.
	// Contents plugins run in the order the build declares them, each on the previous one's output.
	ProcessContents(html string, post *Post) (string, error)
}

// Post is a page's metadata, as a plugin sees it. The body is not part of it: it travels only to ProcessContents.
type Post struct {
	// ID is stable per page (derived from its source path).
	ID int64
	// Author is from front matter, else the build's default author; it may be empty.
	Author string
	// Title is from front matter, else the page's first heading, else its file name.
	Title string
	// SourcePath is relative to the source directory, '/'-separated, e.g. "docs/guide.md".
	SourcePath string
	// OutputPath is relative to the output directory, '/'-separated, e.g. "docs/guide.html".
	OutputPath string
	// Date is as written in front matter; empty if none.
	Date string
	// Tags are from front matter.
	Tags []string
	// Metadata holds the other front-matter keys, values as text.
	Metadata map[string]string
}

// RoleOccurrence is one :role:`value` on a page.
type RoleOccurrence struct {
	// Role is the role's name, without colons.
	Role string
	// Value is the text between the backticks, as written.
	Value string
	// Line is the 1-based line of the source file where it starts.
	Line int
}
