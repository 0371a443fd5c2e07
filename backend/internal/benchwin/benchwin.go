//go:build linux

// Package benchwin measures a desktop window the way its owner meets it:
// launch to the first painted screen, then the memory (PSS) of every
// process it started once settled, and the CPU they burn while idle.
// Benchmarks only; Linux (/proc), under a display.
package benchwin

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Figures are one window's measurements.
type Figures struct {
	Paint time.Duration // launch to the "first paint" line in its output
	PSS   int64         // bytes, the window's process and all its descendants, settled
	// PSSOf splits PSS by process name (the program, WebKitWebProcess,
	// WebKitNetworkProcess): where the memory is.
	PSSOf   map[string]int64
	IdleCPU time.Duration // user+system time of the same processes over Idle
}

// Options say how long to wait; an Idle of 0 measures no idle CPU.
type Options struct {
	Settle, Idle time.Duration
}

// Measure launches bin with env, waits for an output line containing "first
// paint", lets it settle, measures, and stops it.
func Measure(bin string, env []string, o Options) (Figures, error) {
	var f Figures
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Wails' default logger writes with println, to stderr: read both.
	out, w, err := os.Pipe()
	if err != nil {
		return f, err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = w, w
	start := time.Now()
	err = cmd.Start()
	w.Close()
	if err != nil {
		return f, err
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()
	painted := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		once := false
		for sc.Scan() {
			// PAGEKEEPER_BENCH_ECHO=1: the window's output with the time since
			// launch, to see where a launch spends it (scripts/bench-notes.md).
			if os.Getenv("PAGEKEEPER_BENCH_ECHO") != "" {
				fmt.Fprintf(os.Stderr, "ECHO %6.1f %s\n", float64(time.Since(start).Microseconds())/1000, sc.Text())
			}
			if !once && strings.Contains(sc.Text(), "first paint") {
				once = true
				close(painted)
			}
		}
	}()
	select {
	case <-painted:
		f.Paint = time.Since(start)
	case <-time.After(90 * time.Second):
		return f, errors.New("benchwin: no first paint within 90 s")
	}
	time.Sleep(o.Settle)
	pids := tree(cmd.Process.Pid)
	f.PSSOf = map[string]int64{}
	for _, pid := range pids {
		n := pss(pid)
		f.PSS += n
		f.PSSOf[name(pid)] += n
	}
	if o.Idle == 0 {
		return f, nil
	}
	before := cpu(pids)
	time.Sleep(o.Idle)
	f.IdleCPU = cpu(pids) - before
	return f, nil
}

// tree is pid and every process descending from it.
func tree(root int) []int {
	parent := map[int]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if fields := stat(pid); len(fields) > 1 {
			parent[pid], _ = strconv.Atoi(fields[1])
		}
	}
	var out []int
	for pid := range parent {
		for p := pid; p > 1; p = parent[p] {
			if p == root {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// stat is /proc/pid/stat after the command name: state, ppid, ...
func stat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		return strings.Fields(s[i+1:])
	}
	return nil
}

// name is the process's command name (/proc/pid/comm).
func name(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

func pss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "Pss:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpu sums user and system time (fields 14 and 15 of stat, in clock ticks
// of 1/100 s on Linux).
func cpu(pids []int) time.Duration {
	var ticks int64
	for _, pid := range pids {
		if f := stat(pid); len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
