package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// childOpenEnv makes the test binary, re-executed, try to Open the file it
// names and report: bbolt's lock is a flock, which only a second process shows
// honestly.
const childOpenEnv = "PAGEKEEPER_STORE_TEST_OPEN"

type childOpen struct {
	Err            string
	AlreadyRunning bool
	WriteError     bool
}

func TestMain(m *testing.M) {
	if path := os.Getenv(childOpenEnv); path != "" {
		var res childOpen
		db, err := Open(path)
		if err != nil {
			var we *WriteError
			res.Err, res.AlreadyRunning, res.WriteError = err.Error(), errors.Is(err, ErrAlreadyRunning), errors.As(err, &we)
		} else {
			db.Close()
		}
		json.NewEncoder(os.Stdout).Encode(res)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func openInChild(t *testing.T, path string) childOpen {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childOpenEnv+"="+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var res childOpen
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("child printed %q: %v", out, err)
	}
	return res
}

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesOwnerOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, want 0600", st.Mode().Perm())
	}
	if db.Path() != path {
		t.Fatalf("Path() = %q", db.Path())
	}
}

func TestOpenAlreadyRunningInAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pagekeeper.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	res := openInChild(t, path)
	if !res.AlreadyRunning {
		db.Close()
		t.Fatalf("second process got %q, want ErrAlreadyRunning", res.Err)
	}
	want := fmt.Sprintf("another Pagekeeper is already running on %s; close it first", dir)
	if res.Err != want {
		t.Fatalf("message %q, want %q", res.Err, want)
	}
	// Once the first one closes, the other can open.
	db.Close()
	if res := openInChild(t, path); res.Err != "" {
		t.Fatalf("after Close the second process got %q", res.Err)
	}
}

// sameFile fails the test if path's bytes or modification time changed.
func sameFile(t *testing.T, path string, content []byte, mod time.Time) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the file is gone: %v", err)
	}
	st, _ := os.Stat(path)
	if !bytes.Equal(got, content) || !st.ModTime().Equal(mod) {
		t.Fatal("the file was changed")
	}
}

func TestOpenCorruptFileLeavesItAlone(t *testing.T) {
	for name, content := range map[string][]byte{
		"text":         []byte("this is not a database\n"),
		"garbage page": bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 4096),
		"one byte":     {0},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pagekeeper.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(path)
			db, err := Open(path)
			if err == nil {
				db.Close()
				t.Fatal("Open of garbage succeeded")
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Path != path {
				t.Fatalf("got %v (%T), want *CorruptError for %s", err, err, path)
			}
			if !strings.Contains(err.Error(), "move it aside") || !strings.Contains(err.Error(), path) {
				t.Fatalf("message does not say how to get out: %q", err)
			}
			sameFile(t, path, content, st.ModTime())
		})
	}
}

func TestOpenRefusesForeignBoltFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	content, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	_, err = Open(path)
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "not Pagekeeper's") {
		t.Fatalf("got %v, want a CorruptError saying it is not Pagekeeper's", err)
	}
	sameFile(t, path, content, st.ModTime())
}

func TestOpenDirectoryOrMissingFolder(t *testing.T) {
	dir := t.TempDir()
	var ce *CorruptError
	if _, err := Open(dir); !errors.As(err, &ce) {
		t.Fatalf("Open of a directory = %v, want CorruptError", err)
	}
	_, err := Open(filepath.Join(dir, "missing", "pagekeeper.db"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Open in a missing folder = %v", err)
	}
}

// counting returns n migrations that record their number in *ran.
func counting(n int, ran *[]int) []migration {
	var ms []migration
	for i := 1; i <= n; i++ {
		ms = append(ms, migration{i, fmt.Sprintf("step %d", i), func(tx *bolt.Tx) error {
			*ran = append(*ran, i)
			if i == 1 {
				return migrations[0].up(tx)
			}
			return nil
		}})
	}
	return ms
}

func reopen(t *testing.T, path string, migs []migration) error {
	t.Helper()
	db, err := openWith(path, migs, openTimeout)
	if err == nil {
		db.Close()
	}
	return err
}

func TestMigrationsRunOnceInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	var ran []int
	if err := reopen(t, path, counting(3, &ran)); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ran) != "[1 2 3]" {
		t.Fatalf("a new file ran %v, want [1 2 3]", ran)
	}
	ran = nil
	if err := reopen(t, path, counting(3, &ran)); err != nil || ran != nil {
		t.Fatalf("reopening ran %v (err %v), want nothing", ran, err)
	}
	if err := reopen(t, path, counting(5, &ran)); err != nil || fmt.Sprint(ran) != "[4 5]" {
		t.Fatalf("an upgrade ran %v (err %v), want [4 5]", ran, err)
	}
}

func TestMigrationFailureKeepsLastGoodVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	var ran []int
	migs := counting(3, &ran)
	fail := migs[1]
	fail.up = func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("half-done")); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}
	err := reopen(t, path, []migration{migs[0], fail, migs[2]})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "data version 2") {
		t.Fatalf("failed migration gave %v", err)
	}
	ran = nil
	if err := reopen(t, path, migs); err != nil || fmt.Sprint(ran) != "[2 3]" {
		t.Fatalf("after the failure, reopening ran %v (err %v), want [2 3]", ran, err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("half-done")) != nil {
			t.Error("the failed migration's bucket was kept")
		}
		return nil
	})
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	var ran []int
	if err := reopen(t, path, counting(3, &ran)); err != nil {
		t.Fatal(err)
	}
	content, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	err := reopen(t, path, counting(2, &ran))
	var ve *VersionError
	if !errors.As(err, &ve) || ve.Found != 3 || ve.Supported != 2 {
		t.Fatalf("got %v, want a VersionError 3 > 2", err)
	}
	if !strings.Contains(err.Error(), "newer Pagekeeper") {
		t.Fatalf("unclear message %q", err)
	}
	sameFile(t, path, content, st.ModTime())
}

func TestMigrationListIsNumberedFromOne(t *testing.T) {
	for i, m := range migrations {
		if m.to != i+1 {
			t.Fatalf("migration %d (%s) is numbered %d", i, m.name, m.to)
		}
	}
	if SchemaVersion() != 2 {
		t.Fatalf("SchemaVersion = %d, want 2", SchemaVersion())
	}
	var ran []int
	bad := counting(2, &ran)
	bad[1].to = 3
	if err := reopen(t, filepath.Join(t.TempDir(), "x.db"), bad); err == nil {
		t.Fatal("a gap in the migration list was accepted")
	}
}
