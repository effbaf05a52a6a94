package htmlize

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// validHook is what the host accepts as a hook.
var validHook = regexp.MustCompile(`^(contents|role:[A-Za-z0-9_]+)$`)

// member is one Htmlizer served by the process, with the optional interfaces it implements.
type member struct {
	name       string // its type, for messages
	configurer Configurer
	role       RoleRenderer
	roles      RolesRenderer
	contents   ContentsProcessor
}

// composite is several Htmlizers served as one, as the Java SDK serves them: hooks united in order, each role
// routed to the last htmlizer that registers it, contents hooks chained in the given order, all configured in
// order.
type composite struct {
	members  []*member
	hooks    []string
	byRole   map[string]*member
	contents []*member
}

// methods are the optional methods, by name, with the interface that has each: a method with one of these names
// that does not match the interface is a mistake Serve reports, rather than a method never called.
var methods = map[string]reflect.Type{
	"Configure":       reflect.TypeOf((*Configurer)(nil)).Elem(),
	"ProcessRole":     reflect.TypeOf((*RoleRenderer)(nil)).Elem(),
	"ProcessRoles":    reflect.TypeOf((*RolesRenderer)(nil)).Elem(),
	"ProcessContents": reflect.TypeOf((*ContentsProcessor)(nil)).Elem(),
}

// newComposite checks the htmlizers (valid hooks, each with its method, no misspelt signatures) and combines them.
func newComposite(htmlizers []Htmlizer) (*composite, error) {
	if len(htmlizers) == 0 {
		return nil, errors.New("no htmlizer to serve")
	}
	c := &composite{byRole: map[string]*member{}}
	for _, h := range htmlizers {
		if h == nil {
			return nil, errors.New("a nil htmlizer to serve")
		}
		m := &member{name: fmt.Sprintf("%T", h)}
		m.configurer, _ = h.(Configurer)
		m.role, _ = h.(RoleRenderer)
		m.roles, _ = h.(RolesRenderer)
		m.contents, _ = h.(ContentsProcessor)
		t := reflect.TypeOf(h)
		for name, want := range methods {
			if _, ok := t.MethodByName(name); ok && !t.Implements(want) {
				method := want.Method(0)
				return nil, fmt.Errorf("%s has a method %s that does not match htmlize.%s: want %s%s",
					m.name, name, want.Name(), name, method.Type.String()[len("func"):])
			}
		}
		c.members = append(c.members, m)
		for _, hook := range h.Hooks() {
			if !validHook.MatchString(hook) {
				return nil, fmt.Errorf("%s declares an invalid hook %q: hooks are \"contents\" or \"role:NAME\" "+
					"with a name of letters, digits and underscores", m.name, hook)
			}
			if hook == "contents" {
				if m.contents == nil {
					return nil, fmt.Errorf("%s declares the hook contents but has no method "+
						"ProcessContents(html string, post *htmlize.Post) (string, error)%s", m.name,
						pointerHint(t, "ProcessContents"))
				}
				if n := len(c.contents); n == 0 || c.contents[n-1] != m {
					c.contents = append(c.contents, m)
				}
			} else {
				if m.role == nil && m.roles == nil {
					return nil, fmt.Errorf("%s declares the hook %s but has no method "+
						"ProcessRole(role, value string, post *htmlize.Post) (string, error) nor "+
						"ProcessRoles(post *htmlize.Post, roles []htmlize.RoleOccurrence) ([]string, error)%s",
						m.name, hook, pointerHint(t, "ProcessRole", "ProcessRoles"))
				}
				c.byRole[hook[len("role:"):]] = m
			}
			if !contains(c.hooks, hook) {
				c.hooks = append(c.hooks, hook)
			}
		}
	}
	return c, nil
}

// pointerHint explains a method missing from a value whose pointer has it.
func pointerHint(t reflect.Type, names ...string) string {
	if t.Kind() == reflect.Ptr {
		return ""
	}
	for _, name := range names {
		if _, ok := reflect.PtrTo(t).MethodByName(name); ok {
			return fmt.Sprintf(" (*%s has %s: serve a pointer, &%s{})", t, name, t)
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, one := range list {
		if one == s {
			return true
		}
	}
	return false
}

// configure configures every htmlizer that takes a configuration, in order; the first error is the answer.
func (c *composite) configure(properties map[string]string, site *Site) error {
	for _, m := range c.members {
		if m.configurer == nil {
			continue
		}
		own := make(map[string]string, len(properties)) // each its own copy, to change as it likes
		for k, v := range properties {
			own[k] = v
		}
		if err := protect(func() error { return m.configurer.Configure(own, site) }); err != nil {
			return err
		}
	}
	return nil
}

// processRoles renders a page's occurrences with the htmlizers that registered their roles, one call per htmlizer,
// and answers one HTML string per occurrence, in order; a failure's index is in roles.
func (c *composite) processRoles(post *Post, roles []RoleOccurrence) ([]string, *failure) {
	var order []*member
	groups := map[*member][]int{}
	for i, occurrence := range roles {
		m := c.byRole[occurrence.Role]
		if m == nil {
			return nil, &failure{err: status.Errorf(codes.InvalidArgument,
				"no htmlizer here registers the role %s", occurrence.Role), index: -1}
		}
		if groups[m] == nil {
			order = append(order, m)
		}
		groups[m] = append(groups[m], i)
	}
	html := make([]string, len(roles))
	for _, m := range order {
		indexes := groups[m]
		mine := roles
		if len(order) > 1 {
			mine = make([]RoleOccurrence, len(indexes))
			for i, index := range indexes {
				mine[i] = roles[index]
			}
		}
		results, f := m.render(post, mine)
		if f != nil {
			if f.index >= 0 {
				f.index = indexes[f.index]
			}
			return nil, f
		}
		for i, index := range indexes {
			html[index] = results[i]
		}
	}
	return html, nil
}

// render is one htmlizer's answer for its occurrences on a page: its ProcessRoles, else its ProcessRole for each.
func (m *member) render(post *Post, roles []RoleOccurrence) ([]string, *failure) {
	if m.roles != nil {
		var html []string
		err := protect(func() (err error) {
			html, err = m.roles.ProcessRoles(post, copyRoles(roles))
			return err
		})
		if err != nil {
			index := -1
			var role *RoleError
			if errors.As(err, &role) && role.Index >= 0 && role.Index < len(roles) {
				index = role.Index
			}
			return nil, &failure{err: err, index: index}
		}
		if len(html) != len(roles) {
			return nil, &failure{err: fmt.Errorf("%s.ProcessRoles returned %d results for %d roles",
				m.name, len(html), len(roles)), index: -1}
		}
		return html, nil
	}
	html := make([]string, len(roles))
	for i, occurrence := range roles {
		err := protect(func() (err error) {
			html[i], err = m.role.ProcessRole(occurrence.Role, occurrence.Value, post)
			return err
		})
		if err != nil {
			// As the Java SDK does: an error of ProcessRole is the occurrence's, a value the author must fix (a
			// panic stays a failure of the plugin).
			var panicked *panicError
			if !isRoleError(err) && !errors.As(err, &panicked) {
				message := err.Error()
				if s, ok := status.FromError(err); ok {
					message = s.Message()
				}
				err = &RoleError{Message: message, Index: i}
			}
			return nil, &failure{err: err, index: i}
		}
	}
	return html, nil
}

// copyRoles keeps the caller's slice from the htmlizer, which may change the one it gets.
func copyRoles(roles []RoleOccurrence) []RoleOccurrence {
	return append([]RoleOccurrence(nil), roles...)
}

// processContents runs the contents hooks in order, each on the previous one's output.
func (c *composite) processContents(html string, post *Post) (string, error) {
	for _, m := range c.contents {
		err := protect(func() (err error) {
			html, err = m.contents.ProcessContents(html, post)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	return html, nil
}

// configurable tells whether some htmlizer takes a configuration (and so the site).
func (c *composite) configurable() bool {
	for _, m := range c.members {
		if m.configurer != nil {
			return true
		}
	}
	return false
}
