// Command htmlize-go-tt-plugin is the tt sample plugin written in Go with go-plugin (Debian's 1.0.1 works):
// :tt:`text` becomes <tt>text</tt>, the text HTML-escaped, exactly as the Java htmlize-tt-plugin renders it (with
// the same element property, for another element than the obsolete tt).
//
// The stubs of htmlize.v1.Htmlizer are generated from htmlizer.proto at build time (src/build-plugin.sh) under the
// import path dev.htmlize/htmlize/v1.
package main

import (
	"context"
	"errors"
	"io/ioutil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// handshake is htmlize's: cookie HTMLIZE_PLUGIN=5f1d3c9a7e2b4c86, app protocol version 1.
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "HTMLIZE_PLUGIN",
	MagicCookieValue: "5f1d3c9a7e2b4c86",
}

// escaper escapes as the Java SDK's Html.escape does (Go's html.EscapeString writes &#34; for a double quote).
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// elements are what the element property may name: HTML5 calls tt obsolete, so a site may choose another.
var elements = map[string]bool{"tt": true, "code": true, "kbd": true, "samp": true, "var": true}

// tt implements htmlize.v1.Htmlizer. Its element is set once, by Configure, before any page; calls come
// concurrently after that, so the lock only guards against a host that configures again.
type tt struct {
	htmlizev1.UnimplementedHtmlizerServer
	log     hclog.Logger
	mu      sync.RWMutex
	element string
}

func (t *tt) render(value string) string {
	t.mu.RLock()
	element := t.element
	t.mu.RUnlock()
	return "<" + element + ">" + escaper.Replace(value) + "</" + element + ">"
}

func (*tt) Hooks(context.Context, *htmlizev1.HooksRequest) (*htmlizev1.HooksResponse, error) {
	return &htmlizev1.HooksResponse{Hooks: []string{"role:tt"}}, nil
}

// Configure takes the element property, as the Java plugin does (default tt, the article's).
func (t *tt) Configure(_ context.Context, req *htmlizev1.ConfigureRequest) (*htmlizev1.ConfigureResponse, error) {
	element := "tt"
	if chosen, ok := req.Properties["element"]; ok {
		element = strings.TrimSpace(chosen)
	}
	if !elements[element] {
		return nil, status.Errorf(codes.InvalidArgument,
			"element must be one of tt, code, kbd, samp, var, not %q", element)
	}
	t.mu.Lock()
	t.element = element
	t.mu.Unlock()
	t.log.Debug("configured", "properties", len(req.Properties))
	return &htmlizev1.ConfigureResponse{}, nil
}

func (t *tt) ProcessRole(_ context.Context, req *htmlizev1.ProcessRoleRequest) (*htmlizev1.ProcessRoleResponse, error) {
	if req.Role != "tt" {
		return nil, status.Errorf(codes.InvalidArgument, "no htmlizer here registers the role %s", req.Role)
	}
	return &htmlizev1.ProcessRoleResponse{Html: t.render(req.Value)}, nil
}

// ProcessRoles answers one string per occurrence, in order. The host sends only the roles this plugin registered.
func (t *tt) ProcessRoles(_ context.Context, req *htmlizev1.ProcessRolesRequest) (*htmlizev1.ProcessRolesResponse, error) {
	html := make([]string, len(req.Roles))
	for i, occurrence := range req.Roles {
		html[i] = t.render(occurrence.Value)
	}
	return &htmlizev1.ProcessRolesResponse{Html: html}, nil
}

func (*tt) ProcessContents(_ context.Context, req *htmlizev1.ProcessContentsRequest) (*htmlizev1.ProcessContentsResponse, error) {
	return &htmlizev1.ProcessContentsResponse{Html: req.Html}, nil
}

// htmlizePlugin is the logical plugin "htmlize", served in gRPC mode only.
type htmlizePlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl htmlizev1.HtmlizerServer
}

func (p *htmlizePlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	htmlizev1.RegisterHtmlizerServer(s, p.impl)
	return nil
}

func (p *htmlizePlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("htmlize-go-tt-plugin is a plugin, not a host")
}

// watchHost ends the plugin when its host dies, as the Java SDK's plugins do. go-plugin has no such watch: a Go
// plugin dies of SIGPIPE on its next write to stderr once the host is gone, so one that writes nothing (as this
// one, which logs only when configured) would outlive a build killed with SIGKILL. The host is the process htmlize
// names in PLUGIN_HOST_PID (with its start time in PLUGIN_HOST_START); a host that names none is the parent as it is
// now. It is called first in main, so that a host killed while the plugin starts is noticed.
func watchHost(log hclog.Logger) {
	alive := hostAlive()
	if !alive() {
		removeSockets()
		os.Exit(0)
	}
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			if !alive() {
				removeSockets()
				log.Warn("the host process is gone; exiting")
				os.Exit(0)
			}
		}
	}()
}

// hostAlive returns a check that the host still runs.
func hostAlive() func() bool {
	if pid, err := strconv.Atoi(strings.TrimSpace(os.Getenv("PLUGIN_HOST_PID"))); err == nil && pid > 0 {
		start := strings.TrimSpace(os.Getenv("PLUGIN_HOST_START"))
		return func() bool {
			if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
				return false
			}
			return start == "" || startTime(pid) == start
		}
	}
	parent := os.Getppid()
	start := startTime(parent)
	return func() bool { return os.Getppid() == parent && startTime(parent) == start }
}

// startTime is the kernel's start time of a process (field 22 of /proc/PID/stat), or "" where there is none.
func startTime(pid int) string {
	stat, err := ioutil.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	text := string(stat)
	fields := strings.Split(text[strings.LastIndex(text, ")")+2:], " ")
	if len(fields) < 20 || fields[0] == "Z" {
		return ""
	}
	return fields[19]
}

// useHostSocketDirectory makes go-plugin 1.0.1, which ignores PLUGIN_UNIX_SOCKET_DIR and makes its socket in the
// temporary directory, make it in the private directory the host made for this plugin instead.
func useHostSocketDirectory() {
	if dir := os.Getenv("PLUGIN_UNIX_SOCKET_DIR"); dir != "" {
		os.Setenv("TMPDIR", dir)
	}
}

// removeSockets removes, for a plugin whose host died without cleaning up, the sockets in the directory the host
// made for it, its lock file and the directory itself (go-plugin removes its socket only when Serve returns).
func removeSockets() {
	dir := os.Getenv("PLUGIN_UNIX_SOCKET_DIR")
	if dir == "" {
		return
	}
	if info, err := os.Lstat(filepath.Join(dir, ".lock")); err != nil || !info.Mode().IsRegular() {
		return
	}
	entries, err := ioutil.ReadDir(dir)
	if err != nil {
		return
	}
	for _, entry := range entries {
		if entry.Mode()&os.ModeSocket != 0 || entry.Name() == ".lock" {
			os.Remove(filepath.Join(dir, entry.Name()))
		}
	}
	os.Remove(dir)
}

func main() {
	// hclog JSON on the real stderr, which the host reads: made before Serve, which points os.Stdout and os.Stderr
	// at pipes that go-plugin 1.0.1 never drains in gRPC mode.
	logger := hclog.New(&hclog.LoggerOptions{Name: "tt", Level: hclog.Debug, Output: os.Stderr, JSONFormat: true})
	watchHost(logger)
	useHostSocketDirectory()
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         plugin.PluginSet{"htmlize": &htmlizePlugin{impl: &tt{log: logger, element: "tt"}}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
