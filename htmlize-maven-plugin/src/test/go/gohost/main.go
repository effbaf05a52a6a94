// Command gohost is a go-plugin host (Debian's go-plugin 1.0.1) that checks an htmlize tt plugin written in any
// language: it launches the command given as its arguments, dispenses "htmlize", checks the answers of Hooks,
// Configure, ProcessRole, ProcessRoles and ProcessContents, then shuts the plugin down with go-plugin's Kill and
// reports how the plugin exited and how long that took.
//
// Its stdout is a report of "key=value" lines; its exit status is 0 only when every check passed, the plugin exited
// by itself with status 0 (go-plugin did not have to kill it) and its socket is gone. go-plugin's own logs and the
// plugin's go to stderr.
//
// It is built at test time in GOPATH mode against the stubs of htmlize.v1.Htmlizer that the Go sample plugin's
// build generates (import path dev.htmlize/htmlize/v1).
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"sync"
	"syscall"
	"time"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "HTMLIZE_PLUGIN",
	MagicCookieValue: "5f1d3c9a7e2b4c86",
}

// htmlizePlugin is the host's half of the logical plugin "htmlize": a client stub on go-plugin's connection.
type htmlizePlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (htmlizePlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("gohost is a host, not a plugin")
}

func (htmlizePlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return htmlizev1.NewHtmlizerClient(conn), nil
}

// logBuffer keeps a copy of go-plugin's log so that the report can say whether go-plugin had to kill the plugin.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) contains(s string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Contains(b.buf.Bytes(), []byte(s))
}

var (
	failures []string
	running  *plugin.Client
)

func check(what string, got, want interface{}) {
	if !reflect.DeepEqual(got, want) {
		failures = append(failures, fmt.Sprintf("%s: got %q, want %q", what, got, want))
	}
}

func report(key string, value interface{}) {
	fmt.Printf("%s=%v\n", key, value)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gohost PLUGIN-COMMAND [ARGUMENT...]")
		os.Exit(2)
	}
	logs := &logBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:   "gohost",
		Level:  hclog.Debug,
		Output: io.MultiWriter(os.Stderr, logs),
	})
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          plugin.PluginSet{"htmlize": htmlizePlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
	})
	running = client

	launched := time.Now()
	addr, err := client.Start()
	if err != nil {
		fail("start: %v", err)
	}
	report("handshake_ms", time.Since(launched).Milliseconds())
	report("network", addr.Network())
	report("version", client.NegotiatedVersion())
	check("negotiated version", client.NegotiatedVersion(), 1)

	protocol, err := client.Client()
	if err != nil {
		fail("connect: %v", err)
	}
	if err := protocol.Ping(); err != nil {
		fail("ping: %v", err)
	}
	raw, err := protocol.Dispense("htmlize")
	if err != nil {
		fail("dispense: %v", err)
	}
	callAll(raw.(htmlizev1.HtmlizerClient))

	killing := time.Now()
	client.Kill()
	shutdown := time.Since(killing)
	report("shutdown_ms", shutdown.Milliseconds())

	state := cmd.ProcessState
	exitedByItself := false
	switch {
	case state == nil:
		report("exit", "unknown")
		failures = append(failures, "the plugin's exit status is unknown after Kill")
	case state.Sys().(syscall.WaitStatus).Signaled():
		report("exit", "signal "+state.Sys().(syscall.WaitStatus).Signal().String())
	default:
		report("exit", fmt.Sprintf("status %d", state.ExitCode()))
		exitedByItself = state.ExitCode() == 0
	}
	killed := logs.contains("plugin failed to exit gracefully")
	report("killed_by_host", killed)
	if killed || !exitedByItself {
		failures = append(failures, "the plugin did not exit by itself with status 0 after Shutdown")
	}
	if addr.Network() == "unix" {
		_, err := os.Stat(addr.String())
		removed := errors.Is(err, os.ErrNotExist)
		report("socket_removed", removed)
		if !removed {
			failures = append(failures, "the plugin left its socket "+addr.String())
		}
	}

	for _, f := range failures {
		fmt.Println("FAIL " + f)
	}
	if len(failures) > 0 {
		os.Exit(1)
	}
	fmt.Println("OK")
}

func callAll(tt htmlizev1.HtmlizerClient) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := &htmlizev1.Post{Id: 7, Author: "Joe", Title: "T", SourcePath: "a/b.md", OutputPath: "a/b.html",
		Tags: []string{"x"}, Metadata: map[string]string{"k": "v"}}

	hooks, err := tt.Hooks(ctx, &htmlizev1.HooksRequest{})
	if err != nil {
		fail("Hooks: %v", err)
	}
	check("Hooks", hooks.Hooks, []string{"role:tt"})
	report("hooks", hooks.Hooks)

	if _, err := tt.Configure(ctx, &htmlizev1.ConfigureRequest{Properties: map[string]string{"a": "b"}}); err != nil {
		fail("Configure: %v", err)
	}

	roles, err := tt.ProcessRoles(ctx, &htmlizev1.ProcessRolesRequest{Post: post, Roles: []*htmlizev1.RoleOccurrence{
		{Role: "tt", Value: `a < b && "c"`, Line: 1},
		{Role: "tt", Value: "", Line: 2},
		{Role: "tt", Value: "ünï 'q'", Line: 3},
	}})
	if err != nil {
		fail("ProcessRoles: %v", err)
	}
	check("ProcessRoles", roles.Html, []string{"<tt>a &lt; b &amp;&amp; &quot;c&quot;</tt>", "<tt></tt>",
		"<tt>ünï &#39;q&#39;</tt>"})
	report("process_roles", len(roles.Html))

	role, err := tt.ProcessRole(ctx, &htmlizev1.ProcessRoleRequest{Role: "tt", Value: "x>y", Post: post})
	if err != nil {
		fail("ProcessRole: %v", err)
	}
	check("ProcessRole", role.Html, "<tt>x&gt;y</tt>")

	contents, err := tt.ProcessContents(ctx, &htmlizev1.ProcessContentsRequest{Html: "<p>body</p>\n", Post: post})
	if err != nil {
		fail("ProcessContents: %v", err)
	}
	check("ProcessContents", contents.Html, "<p>body</p>\n")
}

// fail reports a failure that ends the checks, and ends the plugin (deferred calls do not run after os.Exit).
func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	if running != nil {
		running.Kill()
	}
	os.Exit(1)
}
