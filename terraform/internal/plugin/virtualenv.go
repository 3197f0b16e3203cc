package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// virtualenv is the Python of the plugin folder's virtualenv (`venv`, as its
// PulumiPlugin.yaml names it), made as Pulumi makes it when the folder has none yet: a
// virtualenv, then its requirements.txt. The plugin installs the package itself at start.
// Two providers starting at once make it once (a lock outside the folder, which stays clean).
func virtualenv(ctx context.Context, folder string) (string, error) {
	python := filepath.Join(folder, "venv", "bin", "python")
	if _, err := os.Stat(python); err == nil {
		return python, nil
	}
	sum := sha256.Sum256([]byte(folder))
	lockPath := filepath.Join(os.TempDir(), "cognito-user-import-venv-"+hex.EncodeToString(sum[:8])+".lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()
	if _, err := os.Stat(python); err == nil {
		return python, nil
	}
	base, err := exec.LookPath("python3")
	if err != nil {
		return "", fmt.Errorf("the cognito-user-import plugin needs Python 3.11 or newer on PATH (python3): %w", err)
	}
	venv := filepath.Join(folder, "venv")
	for _, step := range [][]string{
		{base, "-m", "venv", venv},
		{python, "-m", "pip", "install", "--quiet", "-r", filepath.Join(folder, "requirements.txt")},
	} {
		out, err := exec.CommandContext(ctx, step[0], step[1:]...).CombinedOutput()
		if err != nil {
			_ = os.RemoveAll(venv) // a half-made virtualenv would pass for a made one next time
			return "", fmt.Errorf("could not make the plugin's virtualenv (%v): %s", step, out)
		}
	}
	return python, nil
}
