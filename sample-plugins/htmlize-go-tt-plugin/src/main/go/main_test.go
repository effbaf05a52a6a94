package main

import (
	"strings"
	"testing"
)

func TestTtRendersTheEscapedValueInItsElement(t *testing.T) {
	plugin := &tt{element: "tt"}
	cases := map[string]string{
		`a < b && "c"`: "<tt>a &lt; b &amp;&amp; &quot;c&quot;</tt>",
		"it's":         "<tt>it&#39;s</tt>",
		"":             "<tt></tt>",
		"ünï — ☃":      "<tt>ünï — ☃</tt>",
	}
	for value, want := range cases {
		if got, err := plugin.ProcessRole("tt", value, nil); err != nil || got != want {
			t.Errorf("ProcessRole(%q) = %q, %v; want %q", value, got, err, want)
		}
	}
}

func TestTheElementPropertyChoosesTheElement(t *testing.T) {
	plugin := &tt{element: "tt"}
	if err := plugin.Configure(map[string]string{"element": " kbd "}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := plugin.ProcessRole("tt", "x", nil); got != "<kbd>x</kbd>" {
		t.Errorf("with element kbd: %q", got)
	}
	if err := plugin.Configure(map[string]string{}, nil); err != nil || plugin.element != "tt" {
		t.Errorf("without the property: %q, %v", plugin.element, err)
	}
	err := plugin.Configure(map[string]string{"element": "b"}, nil)
	if err == nil || !strings.Contains(err.Error(), `element must be one of tt, code, kbd, samp, var, not "b"`) {
		t.Errorf("element b: %v", err)
	}
}
