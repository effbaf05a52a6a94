// Command htmlize-go-tt-plugin is the tt sample plugin written in Go with go-plugin (Debian's 1.0.1 works):
// :tt:`text` becomes <tt>text</tt>, the text HTML-escaped, exactly as the Java htmlize-tt-plugin renders it.
//
// The stubs of htmlize.v1.Htmlizer are generated from htmlizer.proto at build time (src/build-plugin.sh) under the
// import path dev.htmlize/htmlize/v1.
package main

import (
	"context"
	"errors"
	"os"
	"strings"
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

// tt implements htmlize.v1.Htmlizer. It keeps no state but its logger, so concurrent calls are safe.
type tt struct {
	htmlizev1.UnimplementedHtmlizerServer
	log hclog.Logger
}

func render(value string) string {
	return "<tt>" + escaper.Replace(value) + "</tt>"
}

func (*tt) Hooks(context.Context, *htmlizev1.HooksRequest) (*htmlizev1.HooksResponse, error) {
	return &htmlizev1.HooksResponse{Hooks: []string{"role:tt"}}, nil
}

func (t *tt) Configure(_ context.Context, req *htmlizev1.ConfigureRequest) (*htmlizev1.ConfigureResponse, error) {
	t.log.Debug("configured", "properties", len(req.Properties))
	return &htmlizev1.ConfigureResponse{}, nil
}

func (*tt) ProcessRole(_ context.Context, req *htmlizev1.ProcessRoleRequest) (*htmlizev1.ProcessRoleResponse, error) {
	if req.Role != "tt" {
		return nil, status.Errorf(codes.InvalidArgument, "no htmlizer here registers the role %s", req.Role)
	}
	return &htmlizev1.ProcessRoleResponse{Html: render(req.Value)}, nil
}

// ProcessRoles answers one string per occurrence, in order. The host sends only the roles this plugin registered.
func (*tt) ProcessRoles(_ context.Context, req *htmlizev1.ProcessRolesRequest) (*htmlizev1.ProcessRolesResponse, error) {
	html := make([]string, len(req.Roles))
	for i, occurrence := range req.Roles {
		html[i] = render(occurrence.Value)
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
// one, which logs only when configured) would outlive a build killed with SIGKILL. Its socket then stays in the temp
// directory, as go-plugin leaves it whenever a plugin ends other than through Shutdown.
func watchHost(log hclog.Logger) {
	host := os.Getppid()
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			if os.Getppid() != host {
				log.Warn("the host process is gone; exiting")
				os.Exit(0)
			}
		}
	}()
}

func main() {
	// hclog JSON on the real stderr, which the host reads: made before Serve, which points os.Stdout and os.Stderr
	// at pipes that go-plugin 1.0.1 never drains in gRPC mode.
	logger := hclog.New(&hclog.LoggerOptions{Name: "tt", Level: hclog.Debug, Output: os.Stderr, JSONFormat: true})
	watchHost(logger)
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         plugin.PluginSet{"htmlize": &htmlizePlugin{impl: &tt{log: logger}}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
