package htmlize

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// handshakeProperties is the one source of the handshake: HTMLIZE_HANDSHAKE_PROPERTIES (the module's build sets it,
// so the check cannot be skipped there), else its place in the repository.
func handshakeProperties(t *testing.T) map[string]string {
	path := os.Getenv("HTMLIZE_HANDSHAKE_PROPERTIES")
	if path == "" {
		path = filepath.Join("..", "..", "..", "..", "htmlize-plugin-protocol", "src", "main", "resources",
			"dev", "htmlize", "plugin", "handshake.properties")
		if _, err := os.Stat(path); os.IsNotExist(err) {
			t.Skip("no handshake.properties here (outside the htmlize repository); set HTMLIZE_HANDSHAKE_PROPERTIES")
		}
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	properties := map[string]string{}
	lines := bufio.NewScanner(file)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexByte(line, '='); i > 0 {
			properties[strings.TrimSpace(line[:i])] = strings.TrimSpace(line[i+1:])
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return properties
}

func TestTheHandshakeIsTheOneInHandshakeProperties(t *testing.T) {
	properties := handshakeProperties(t)
	if got, want := MagicCookieKey, properties["magicCookieKey"]; got != want {
		t.Errorf("MagicCookieKey = %q, handshake.properties says %q", got, want)
	}
	if got, want := MagicCookieValue, properties["magicCookieValue"]; got != want {
		t.Errorf("MagicCookieValue = %q, handshake.properties says %q", got, want)
	}
	if got, want := strconv.Itoa(ProtocolVersion), properties["protocolVersion"]; got != want {
		t.Errorf("ProtocolVersion = %s, handshake.properties says %s", got, want)
	}
	if Handshake.MagicCookieKey != MagicCookieKey || Handshake.MagicCookieValue != MagicCookieValue ||
		Handshake.ProtocolVersion != ProtocolVersion {
		t.Errorf("Handshake = %+v, not the constants", Handshake)
	}
}
