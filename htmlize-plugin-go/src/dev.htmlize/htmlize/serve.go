package htmlize

import (
	"context"
	"errors"
	"io/ioutil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// htmlize's handshake with its plugins, as htmlize-plugin-protocol's handshake.properties says (a test checks).
const (
	// MagicCookieKey is the environment variable of go-plugin's magic cookie.
	MagicCookieKey = "HTMLIZE_PLUGIN"
	// MagicCookieValue is the value the host gives MagicCookieKey.
	MagicCookieValue = "5f1d3c9a7e2b4c86"
	// ProtocolVersion is the app protocol version of htmlize.v1.Htmlizer.
	ProtocolVersion = 1
	// PluginName is the logical plugin that serves htmlize.v1.Htmlizer, in gRPC mode.
	PluginName = "htmlize"
)

// Handshake is htmlize's go-plugin handshake, for a host or a test written in Go.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   MagicCookieKey,
	MagicCookieValue: MagicCookieValue,
}

// logger writes hclog JSON on the real stderr, which the host reads: made when the package is initialized, before
// go-plugin's Serve points os.Stdout and os.Stderr at pipes that go-plugin 1.0.1 never drains in gRPC mode.
var logger = hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: os.Stderr, JSONFormat: true})

// Logger returns the plugin's logger: its lines reach the build log at their level, under the plugin's name (the
// host adds it), with the logger's name as @module (Logger().Named("tt")). Log through it, not through os.Stderr,
// os.Stdout, fmt.Print or the log package: once Serve runs, go-plugin 1.0.1 makes what they write vanish (and the
// plugin block once 64 KiB pile up).
func Logger() hclog.Logger {
	return logger
}

// host is a check that the host still runs, made when the package is initialized (before main), so that a host
// that dies while the plugin starts is noticed.
var host = hostAlive()

// Serve serves the htmlizers to the build until it shuts the plugin down or dies, then exits; it never returns.
// Call it first in main. Several htmlizers share the process as one: their hooks united, each role rendered by the
// last one that registers it, contents hooks run in the given order, all configured in order.
//
// Serve exits with status 1, saying why on stderr, when an htmlizer is unfit (an invalid hook, a hook without its
// method, a method whose signature does not match its interface), or when it was not started by a host (go-plugin's
// message). It also points TMPDIR at the directory the host made for the plugin's socket, since go-plugin 1.0.1
// makes its socket in the temporary directory: the plugin's own temporary files go there too.
func Serve(htmlizers ...Htmlizer) {
	watchHost()
	impl, err := newComposite(htmlizers)
	if err != nil {
		logger.Error("cannot serve: " + err.Error())
		os.Exit(1)
	}
	useHostSocketDirectory()
	served := &grpcPlugin{htmlizers: impl, log: logger}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{PluginName: served},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
	if !served.registered {
		// go-plugin 1.0.1 returns from Serve, saying why in its log, when it cannot listen or start its server:
		// the host must see a failed start, not a clean exit.
		logger.Error("go-plugin did not start serving")
		os.Exit(1)
	}
	os.Exit(0)
}

// grpcPlugin is the logical plugin "htmlize", served in gRPC mode only.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	htmlizers *composite
	log       hclog.Logger
	// registered is set once go-plugin has made its gRPC server (before it serves, and before Serve returns).
	registered bool
}

// GRPCServer registers htmlize.v1.Htmlizer, with the broker to reach the host's Site.
func (p *grpcPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	htmlizev1.RegisterHtmlizerServer(s, &service{htmlizers: p.htmlizers, broker: broker, log: p.log})
	p.registered = true
	return nil
}

// GRPCClient is for hosts: a plugin has none.
func (p *grpcPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("an htmlize plugin, not a host")
}

// watchHost ends the plugin when its host dies, as the Java SDK's plugins do. go-plugin has no such watch: a Go
// plugin dies of SIGPIPE on its next write to stderr once the host is gone, so one that writes nothing would
// outlive a build killed with SIGKILL.
func watchHost() {
	if !host() {
		removeSockets()
		os.Exit(0)
	}
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			if !host() {
				removeSockets()
				logger.Warn("the host process is gone; exiting")
				os.Exit(0)
			}
		}
	}()
}

// hostAlive returns a check that the host still runs: the process htmlize names in PLUGIN_HOST_PID (with its
// start time in PLUGIN_HOST_START), else the parent as it is now.
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

// removeSockets removes, for a plugin whose host died without cleaning up, the directory the host made for it, with
// its sockets and lock file (go-plugin removes its socket only when Serve returns).
func removeSockets() {
	dir := os.Getenv("PLUGIN_UNIX_SOCKET_DIR")
	if dir == "" {
		return
	}
	if info, err := os.Lstat(filepath.Join(dir, ".lock")); err != nil || !info.Mode().IsRegular() {
		return
	}
	// The directory is the host's, made for this plugin alone (its .lock says so): with TMPDIR pointed at it, the
	// plugin's own temporary files are in it too, so all of it goes, as the host removes it when it closes a plugin.
	os.RemoveAll(dir)
}
