package htmlize

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// testHost is the host's end of an in-process go-plugin connection: the Htmlizer client and the host's broker.
type testHost struct {
	htmlizev1.HtmlizerClient
	broker *plugin.GRPCBroker
	log    *logLines
}

// hostSide is the plugin as the host dispenses it.
type hostSide struct{ grpcPlugin }

func (*hostSide) GRPCClient(_ context.Context, broker *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return &testHost{HtmlizerClient: htmlizev1.NewHtmlizerClient(conn), broker: broker}, nil
}

// logLines collects hclog JSON lines.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// entries are the lines logged so far.
func (l *logLines) entries(t *testing.T) []map[string]interface{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]interface{}
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		entry := map[string]interface{}{}
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("not an hclog JSON line: %q", line)
		}
		out = append(out, entry)
	}
	return out
}

// serveInProcess serves the htmlizers as Serve does, over go-plugin's in-process gRPC connection (with a real
// broker), and returns the host's end.
func serveInProcess(t *testing.T, htmlizers ...Htmlizer) *testHost {
	t.Helper()
	impl, err := newComposite(htmlizers)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", t.TempDir()) // where the broker makes its sockets
	lines := &logLines{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: lines, JSONFormat: true})
	client, server := plugin.TestPluginGRPCConn(t, plugin.PluginSet{
		PluginName: &hostSide{grpcPlugin{htmlizers: impl, log: log}}})
	t.Cleanup(func() {
		client.Close()
		server.Stop()
	})
	raw, err := client.Dispense(PluginName)
	if err != nil {
		t.Fatal(err)
	}
	host := raw.(*testHost)
	host.log = lines
	return host
}

// tt is the tt plugin, with a few ways to fail: "bad" is a role error, "oops" another error, "boom" a panic,
// "gone" a gRPC status.
type tt struct{}

func (tt) Hooks() []string { return []string{"role:tt"} }
func (tt) ProcessRole(role, value string, post *Post) (string, error) {
	switch value {
	case "bad":
		return "", RoleErrorf("refused: %s on %s", value, post.SourcePath)
	case "oops":
		return "", errors.New("out of ink")
	case "boom":
		panic("boom")
	case "gone":
		return "", status.Error(codes.FailedPrecondition, "the printer is gone")
	}
	return "<tt>" + Escape(value) + "</tt>", nil
}

// failAt says which occurrence ProcessRoles blames; -2 answers one result too few.
type failAt int

func (failAt) Hooks() []string { return []string{"role:f", "contents"} }
func (f failAt) ProcessRoles(post *Post, roles []RoleOccurrence) ([]string, error) {
	if f == -2 {
		return make([]string, len(roles)-1), nil
	}
	return nil, RoleErrorAt(int(f), "blamed")
}
func (failAt) ProcessContents(html string, post *Post) (string, error) {
	if strings.Contains(html, "fail") {
		return "", fmt.Errorf("cannot take %s", post.SourcePath)
	}
	return html + "!", nil
}

func post(path string) *htmlizev1.Post {
	return &htmlizev1.Post{Id: 7, SourcePath: path, OutputPath: strings.TrimSuffix(path, ".md") + ".html"}
}

func occurrence(role, value string, line int32) *htmlizev1.RoleOccurrence {
	return &htmlizev1.RoleOccurrence{Role: role, Value: value, Line: line}
}

// call is what a failed call answered: its status and its role index trailer ("" for none).
func call(t *testing.T, run func(trailer grpc.CallOption) error) (*status.Status, string) {
	t.Helper()
	var trailer metadata.MD
	err := run(grpc.Trailer(&trailer))
	if err == nil {
		t.Fatal("the call succeeded")
	}
	index := ""
	if values := trailer.Get(RoleIndexKey); len(values) > 0 {
		index = values[0]
	}
	return status.Convert(err), index
}

func TestTheCallsAnswerWhatTheHtmlizerRenders(t *testing.T) {
	host := serveInProcess(t, tt{})
	ctx := context.Background()
	hooks, err := host.Hooks(ctx, &htmlizev1.HooksRequest{})
	if err != nil || !reflect.DeepEqual(hooks.Hooks, []string{"role:tt"}) {
		t.Fatalf("Hooks = %v, %v", hooks, err)
	}
	if _, err := host.Configure(ctx, &htmlizev1.ConfigureRequest{}); err != nil {
		t.Fatal(err)
	}
	one, err := host.ProcessRole(ctx, &htmlizev1.ProcessRoleRequest{Role: "tt", Value: `a<b "c"`, Post: post("a.md")})
	if err != nil || one.Html != "<tt>a&lt;b &quot;c&quot;</tt>" {
		t.Errorf("ProcessRole = %v, %v", one, err)
	}
	page, err := host.ProcessRoles(ctx, &htmlizev1.ProcessRolesRequest{Post: post("a.md"),
		Roles: []*htmlizev1.RoleOccurrence{occurrence("tt", "it's", 1), occurrence("tt", "", 2)}})
	if err != nil || !reflect.DeepEqual(page.Html, []string{"<tt>it&#39;s</tt>", "<tt></tt>"}) {
		t.Errorf("ProcessRoles = %v, %v", page, err)
	}
	body, err := host.ProcessContents(ctx, &htmlizev1.ProcessContentsRequest{Html: "<p>x</p>", Post: post("a.md")})
	if err != nil || body.Html != "<p>x</p>" {
		t.Errorf("ProcessContents of a plugin without the contents hook = %v, %v; want it unchanged", body, err)
	}
}

func TestAFailedRoleNamesItsOccurrenceInTheTrailer(t *testing.T) {
	host := serveInProcess(t, tt{})
	ctx := context.Background()
	roles := func(values ...string) *htmlizev1.ProcessRolesRequest {
		req := &htmlizev1.ProcessRolesRequest{Post: post("docs/a.md")}
		for i, v := range values {
			req.Roles = append(req.Roles, occurrence("tt", v, int32(10+i)))
		}
		return req
	}
	cases := []struct {
		values  []string
		code    codes.Code
		message string
		index   string
	}{
		{[]string{"ok", "bad"}, codes.InvalidArgument, "refused: bad on docs/a.md", "1"},
		{[]string{"oops"}, codes.InvalidArgument, "out of ink", "0"}, // as the Java SDK: the occurrence's error
		{[]string{"ok", "ok", "boom"}, codes.Internal, "panic: boom", "2"},
		{[]string{"gone"}, codes.InvalidArgument, "the printer is gone", "0"}, // no code of the plugin's passed on
	}
	for _, c := range cases {
		s, index := call(t, func(trailer grpc.CallOption) error {
			_, err := host.ProcessRoles(ctx, roles(c.values...), trailer)
			return err
		})
		if s.Code() != c.code || s.Message() != c.message || index != c.index {
			t.Errorf("ProcessRoles %q = %v %q at %q, want %v %q at %q", c.values, s.Code(), s.Message(), index,
				c.code, c.message, c.index)
		}
	}
	s, index := call(t, func(trailer grpc.CallOption) error {
		_, err := host.ProcessRole(ctx, &htmlizev1.ProcessRoleRequest{Role: "tt", Value: "bad", Post: post("b.md")},
			trailer)
		return err
	})
	if s.Code() != codes.InvalidArgument || s.Message() != "refused: bad on b.md" || index != "0" {
		t.Errorf("ProcessRole = %v %q at %q", s.Code(), s.Message(), index)
	}
	s, index = call(t, func(trailer grpc.CallOption) error {
		_, err := host.ProcessRole(ctx, &htmlizev1.ProcessRoleRequest{Role: "kbd", Value: "x"}, trailer)
		return err
	})
	if s.Code() != codes.InvalidArgument || s.Message() != "no htmlizer here registers the role kbd" || index != "" {
		t.Errorf("ProcessRole of an unknown role = %v %q at %q", s.Code(), s.Message(), index)
	}

	// The plugin survived the panic; the refused role is logged at debug, the failures as errors.
	if _, err := host.ProcessRole(ctx, &htmlizev1.ProcessRoleRequest{Role: "tt", Value: "x"}); err != nil {
		t.Errorf("after a panic: %v", err)
	}
	levels := map[string]string{}
	for _, entry := range host.log.entries(t) {
		levels[fmt.Sprint(entry["error"])] = fmt.Sprint(entry["@level"]) + " " + fmt.Sprint(entry["@message"])
		if entry["error"] == "panic: boom" && !strings.Contains(fmt.Sprint(entry["trace"]), "service_test.go") {
			t.Errorf("the panic's log has no stack trace: %v", entry)
		}
	}
	want := map[string]string{
		"refused: bad on docs/a.md": "debug ProcessRoles refused a role",
		"out of ink":                "debug ProcessRoles refused a role", // an error of ProcessRole: the occurrence's
		"panic: boom":               "error ProcessRoles failed",
		"refused: bad on b.md":      "debug ProcessRole refused a role",
	}
	for message, line := range want {
		if levels[message] != line {
			t.Errorf("logged %q as %q, want %q", message, levels[message], line)
		}
	}
}

func TestProcessRolesAnswersAreChecked(t *testing.T) {
	ctx := context.Background()
	req := &htmlizev1.ProcessRolesRequest{Roles: []*htmlizev1.RoleOccurrence{
		occurrence("f", "a", 1), occurrence("f", "b", 2)}}
	cases := []struct {
		htmlizer failAt
		code     codes.Code
		message  string
		index    string
	}{
		{1, codes.InvalidArgument, "blamed", "1"},
		{5, codes.InvalidArgument, "blamed", ""}, // not an index of the request: blamed on no occurrence
		{-1, codes.InvalidArgument, "blamed", ""},
		{-2, codes.Internal, "htmlize.failAt.ProcessRoles returned 1 results for 2 roles", ""},
	}
	for _, c := range cases {
		host := serveInProcess(t, c.htmlizer)
		s, index := call(t, func(trailer grpc.CallOption) error {
			_, err := host.ProcessRoles(ctx, req, trailer)
			return err
		})
		if s.Code() != c.code || s.Message() != c.message || index != c.index {
			t.Errorf("failAt(%d): %v %q at %q, want %v %q at %q", c.htmlizer, s.Code(), s.Message(), index, c.code,
				c.message, c.index)
		}
	}
}

func TestABatchAnswersEachPageOnItsOwn(t *testing.T) {
	host := serveInProcess(t, tt{}, failAt(-1))
	ctx := context.Background()
	answer, err := host.ProcessRolesBatch(ctx, &htmlizev1.ProcessRolesBatchRequest{Pages: []*htmlizev1.ProcessRolesRequest{
		{Post: post("a.md"), Roles: []*htmlizev1.RoleOccurrence{occurrence("tt", "<a>", 1)}},
		{Post: post("b.md"), Roles: []*htmlizev1.RoleOccurrence{occurrence("tt", "ok", 1), occurrence("tt", "bad", 3)}},
		{Post: post("c.md")},
		{Post: post("d.md"), Roles: []*htmlizev1.RoleOccurrence{occurrence("tt", "oops", 1)}},
		{Post: post("e.md"), Roles: []*htmlizev1.RoleOccurrence{occurrence("f", "x", 1)}},
		{Post: post("f.md"), Roles: []*htmlizev1.RoleOccurrence{occurrence("kbd", "x", 1)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		html    []string
		message string
		index   int32 // -1 for none
	}
	var got []result
	for _, r := range answer.Results {
		if e := r.GetError(); e != nil {
			index := int32(-1)
			if _, ok := e.Occurrence.(*htmlizev1.PageError_RoleIndex); ok {
				index = e.GetRoleIndex()
			}
			got = append(got, result{message: e.Message, index: index})
		} else {
			got = append(got, result{html: r.GetResponse().Html, index: -1})
		}
	}
	want := []result{
		{html: []string{"<tt>&lt;a&gt;</tt>"}, index: -1},
		{message: "refused: bad on b.md", index: 1},
		{html: nil, index: -1},
		{message: "out of ink", index: 0},
		{message: "blamed", index: -1},
		{message: "no htmlizer here registers the role kbd", index: -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ProcessRolesBatch = %+v,\nwant %+v", got, want)
	}

	contents, err := host.ProcessContentsBatch(ctx, &htmlizev1.ProcessContentsBatchRequest{
		Pages: []*htmlizev1.ProcessContentsRequest{
			{Html: "<p>1</p>", Post: post("a.md")}, {Html: "<p>fail</p>", Post: post("b.md")}, {Html: "", Post: post("c.md")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	r := contents.Results
	if len(r) != 3 || r[0].GetResponse().GetHtml() != "<p>1</p>!" || r[2].GetResponse().GetHtml() != "!" ||
		r[1].GetError().GetMessage() != "cannot take b.md" || r[1].GetError().Occurrence != nil {
		t.Errorf("ProcessContentsBatch = %v", contents)
	}
	empty, err := host.ProcessRolesBatch(ctx, &htmlizev1.ProcessRolesBatchRequest{})
	if err != nil || len(empty.Results) != 0 {
		t.Errorf("an empty batch = %v, %v", empty, err)
	}
}

// siteUser keeps the site it is configured with.
type siteUser struct {
	site *Site
	err  error
}

func (*siteUser) Hooks() []string { return []string{"contents"} }
func (s *siteUser) Configure(properties map[string]string, site *Site) error {
	s.site = site
	return s.err
}
func (*siteUser) ProcessContents(html string, post *Post) (string, error) { return html, nil }

// fakeSite is the host's htmlize.v1.Site with two pages.
type fakeSite struct {
	htmlizev1.UnimplementedSiteServer
	pages []*htmlizev1.Post
}

func (f *fakeSite) ListPages(context.Context, *htmlizev1.ListPagesRequest) (*htmlizev1.ListPagesResponse, error) {
	return &htmlizev1.ListPagesResponse{Pages: f.pages}, nil
}

func (f *fakeSite) GetPage(_ context.Context, req *htmlizev1.GetPageRequest) (*htmlizev1.GetPageResponse, error) {
	for _, p := range f.pages {
		if p.SourcePath == req.GetSourcePath() || p.Id == req.GetId() {
			return &htmlizev1.GetPageResponse{Found: true, Page: p}, nil
		}
	}
	return &htmlizev1.GetPageResponse{}, nil
}

func TestTheSiteIsTheHostsThroughTheBroker(t *testing.T) {
	user := &siteUser{}
	host := serveInProcess(t, user)
	site := &fakeSite{pages: []*htmlizev1.Post{
		{Id: 1, Author: "Joe", Title: "A", SourcePath: "a.md", OutputPath: "a.html", Date: "2024-01-02",
			Tags: []string{"x", "y"}, Metadata: map[string]string{"k": "v"}},
		{Id: 2, Title: "B", SourcePath: "docs/b.md", OutputPath: "docs/b.html"},
	}}
	id := host.broker.NextId()
	go host.broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		htmlizev1.RegisterSiteServer(s, site)
		return s
	})
	if _, err := host.Configure(context.Background(), &htmlizev1.ConfigureRequest{SiteBrokerId: id}); err != nil {
		t.Fatal(err)
	}
	if !user.site.Available() {
		t.Fatal("no site")
	}
	pages, err := user.site.Pages()
	a := Post{ID: 1, Author: "Joe", Title: "A", SourcePath: "a.md", OutputPath: "a.html", Date: "2024-01-02",
		Tags: []string{"x", "y"}, Metadata: map[string]string{"k": "v"}}
	b := Post{ID: 2, Title: "B", SourcePath: "docs/b.md", OutputPath: "docs/b.html"}
	if err != nil || !reflect.DeepEqual(pages, []Post{a, b}) {
		t.Errorf("Pages = %+v, %v", pages, err)
	}
	if page, found, err := user.site.Page("docs/b.md"); err != nil || !found || !reflect.DeepEqual(page, b) {
		t.Errorf("Page(docs/b.md) = %+v, %v, %v", page, found, err)
	}
	if page, found, err := user.site.PageByID(1); err != nil || !found || !reflect.DeepEqual(page, a) {
		t.Errorf("PageByID(1) = %+v, %v, %v", page, found, err)
	}
	if page, found, err := user.site.Page("none.md"); err != nil || found || !reflect.DeepEqual(page, Post{}) {
		t.Errorf("Page(none.md) = %+v, %v, %v", page, found, err)
	}
}

func TestWithoutASiteEveryLookupFailsSayingSo(t *testing.T) {
	user := &siteUser{}
	host := serveInProcess(t, user)
	if _, err := host.Configure(context.Background(), &htmlizev1.ConfigureRequest{
		Properties: map[string]string{"a": "b"}}); err != nil {
		t.Fatal(err)
	}
	want := "the host offers no htmlize.v1.Site service (ConfigureRequest site_broker_id is 0)"
	if user.site.Available() {
		t.Error("a site, from a host that offers none")
	}
	if _, err := user.site.Pages(); err == nil || err.Error() != want {
		t.Errorf("Pages: %v", err)
	}
	if _, _, err := user.site.Page("a.md"); err == nil || err.Error() != want {
		t.Errorf("Page: %v", err)
	}
	var none *Site
	if _, _, err := none.PageByID(1); err == nil || err.Error() != want {
		t.Errorf("PageByID of a nil site: %v", err)
	}

	user.err = errors.New("element must be one of tt, code")
	_, err := host.Configure(context.Background(), &htmlizev1.ConfigureRequest{})
	if s := status.Convert(err); s.Code() != codes.Internal || s.Message() != "element must be one of tt, code" {
		t.Errorf("a failed Configure = %v", err)
	}
}
