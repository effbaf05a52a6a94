package htmlize

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
)

// TestMain makes the test binary a plugin when HTMLIZE_SERVE_TEST says which: the tests below start it as go-plugin
// hosts do.
func TestMain(m *testing.M) {
	switch os.Getenv("HTMLIZE_SERVE_TEST") {
	case "tt":
		Serve(tt{})
	case "unfit":
		Serve(hooksOnly{[]string{"role:x"}})
	}
	os.Exit(m.Run())
}

func TestServeIsAPluginThatGoPluginsHostRunsAndShutsDown(t *testing.T) {
	sockets := t.TempDir()
	if err := os.WriteFile(filepath.Join(sockets, ".lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "HTMLIZE_SERVE_TEST=tt", "PLUGIN_UNIX_SOCKET_DIR="+sockets)
	lines := &logLines{}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{PluginName: &hostSide{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: lines, JSONFormat: true}),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rpc.Dispense(PluginName)
	if err != nil {
		t.Fatal(err)
	}
	host := raw.(*testHost)
	answer, err := host.ProcessRole(context.Background(), &htmlizev1.ProcessRoleRequest{Role: "tt", Value: "a&b"})
	if err != nil || answer.Html != "<tt>a&amp;b</tt>" {
		t.Errorf("ProcessRole = %v, %v", answer, err)
	}
	socket := client.ReattachConfig().Addr.String()
	if filepath.Dir(socket) != sockets {
		t.Errorf("the socket %s is not in PLUGIN_UNIX_SOCKET_DIR %s", socket, sockets)
	}

	start := time.Now()
	client.Kill()
	if !client.Exited() {
		t.Error("the plugin has not exited")
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the plugin took %v to shut down: killed, not shut down gracefully", elapsed)
	}
	if _, err := os.Stat(socket); !os.IsNotExist(err) {
		t.Errorf("the socket is left behind: %v", err)
	}
	for _, entry := range lines.entries(t) {
		if strings.Contains(entry["@message"].(string), "failed to exit gracefully") {
			t.Errorf("the host killed the plugin: %v", entry)
		}
	}
}

func TestServeRefusesAnUnfitHtmlizerSayingWhy(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "HTMLIZE_SERVE_TEST=unfit", MagicCookieKey+"="+MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
		t.Fatalf("the plugin ended with %v, want exit status 1", err)
	}
	want := "cannot serve: htmlize.hooksOnly declares the hook role:x but has no method ProcessRole("
	if !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), `"@level":"error"`) {
		t.Errorf("stderr = %q, want an error line with %q", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("a handshake line on stdout: %q", stdout.String())
	}
}
