package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/autostart"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func init() {
	Register(Command{Name: "reset", Usage: "reset [--yes]", Summary: "remove every Pagekeeper secret from the keychain and its data folder", Run: runReset})
}

// runReset is what the uninstaller offers: nothing of Pagekeeper's stays
// behind, neither a token in the keychain nor the Page list on disk.
func runReset(_ context.Context, env *Env, args []string) int {
	var yes bool
	fs, ok := parseFlags(env, "reset", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&yes, "yes", false, "do not ask for confirmation")
	})
	if !ok {
		return 64
	}
	if fs.NArg() > 0 {
		return fail(env, 64, fmt.Errorf("reset takes no arguments, got %q", fs.Arg(0)))
	}
	dir := env.Getenv(datadir.EnvVar)
	if dir == "" {
		d, err := datadir.Resolve()
		if err != nil {
			return fail(env, 1, err)
		}
		dir = d
	}
	if !yes {
		if !env.IsTerminal(env.Stdin) {
			return fail(env, 64, errors.New("reset deletes every connection for good: run it with --yes to confirm"))
		}
		fmt.Fprintf(env.Stderr, "This deletes Pagekeeper's secrets from the system keychain and its data folder %s: every Page must be connected again.\nType yes to go on: ", dir)
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if strings.ToLower(strings.TrimSpace(line)) != "yes" {
			fmt.Fprintln(env.Stderr, "Nothing was deleted.")
			return 1
		}
	}
	// The database is locked while the window (or a command) uses it; deleting
	// it underneath would lose nothing secret but confuse the running app.
	if err := ensureIdle(dir); err != nil {
		return fail(env, 1, err)
	}
	svc := env.Getenv(EnvKeyringService)
	if svc == "" {
		svc = vault.DefaultService
	}
	var errs []error
	if err := vault.New(vault.Keyring{Service: svc}).Clear(); err != nil {
		errs = append(errs, fmt.Errorf("the keychain: %w", err))
	} else {
		fmt.Fprintln(env.Stdout, "Removed Pagekeeper's secrets from the system keychain.")
	}
	// A login item pointing at a program about to be uninstalled would fail at every login.
	if err := autostart.Set(false, ""); err != nil {
		errs = append(errs, err)
	}
	switch removed, err := removeDataFolder(dir); {
	case err != nil:
		errs = append(errs, fmt.Errorf("the data folder: %w", err))
	case removed:
		fmt.Fprintf(env.Stdout, "Removed the data folder %s.\n", dir)
	}
	if err := errors.Join(errs...); err != nil {
		return fail(env, 1, fmt.Errorf("reset did not finish: %w", err))
	}
	return 0
}

func ensureIdle(dir string) error {
	path := filepath.Join(dir, "pagekeeper.db")
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	db, err := store.Open(path)
	if errors.Is(err, store.ErrAlreadyRunning) {
		return fmt.Errorf("%w\nClose the Pagekeeper window (or wait for the other pagekeeper command) and run reset again", err)
	}
	if err == nil {
		db.Close()
	}
	// A damaged database is no reason to keep it: reset is a way out.
	return nil
}

// removeDataFolder deletes Pagekeeper's files and then the folder, unless
// someone pointed PAGEKEEPER_DATA_DIR at a folder holding files of their
// own: those stay, and so does the folder.
func removeDataFolder(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var kept []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "pagekeeper") {
			kept = append(kept, e.Name())
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return false, err
		}
	}
	if len(kept) > 0 {
		return false, fmt.Errorf("removed Pagekeeper's files from %s but kept the folder: it also holds %s, which are not Pagekeeper's", dir, strings.Join(kept, ", "))
	}
	return true, os.Remove(dir)
}
