package plugin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheFolderNamedInTheEnvironmentComesFirst(t *testing.T) {
	t.Setenv(PluginEnv, "/elsewhere/plugin")
	if got, _ := Folder("/built/with/plugin", "0.2.0"); got != "/elsewhere/plugin" {
		t.Fatalf("got %q", got)
	}
	t.Setenv(PluginEnv, "")
	if got, _ := Folder("/built/with/plugin", "0.2.0"); got != "/built/with/plugin" {
		t.Fatalf("got %q", got)
	}
}

// A provider built with no plugin folder runs the one `pulumi plugin install` put in
// Pulumi's plugin cache, at its own version; without one, the error says how to get it.
func TestPulumisPluginCacheComesLast(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(PluginEnv, "")
	_, err := Folder("", "0.2.0")
	if err == nil || !strings.Contains(err.Error(), "pulumi plugin install resource cognito-user-import v0.2.0") {
		t.Fatalf("got %v", err)
	}
	cached := filepath.Join(home, ".pulumi", "plugins", "resource-cognito-user-import-v0.2.0")
	if err := os.MkdirAll(cached, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cached, "PulumiPlugin.yaml"), []byte("runtime: python\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Folder("", "0.2.0"); got != cached || err != nil {
		t.Fatalf("got %q, %v", got, err)
	}
}
