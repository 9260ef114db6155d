package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// supervised is a child process restarted with exponential backoff until stop() is called.
type supervised struct {
	name    string
	path    string
	args    []string
	env     []string
	logPath string

	mu      sync.Mutex
	cmd     *exec.Cmd
	stopped bool
	done    chan struct{}
}

func startSupervised(name, path string, args, env []string, logPath string) *supervised {
	s := &supervised{name: name, path: path, args: args, env: env, logPath: logPath, done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *supervised) loop() {
	defer close(s.done)
	backoff := time.Second
	for {
		s.mu.Lock()
		if s.stopped {
			s.mu.Unlock()
			return
		}
		lf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			s.mu.Unlock()
			log.Printf("%s: open log: %v", s.name, err)
			return
		}
		fmt.Fprintf(lf, "==== %s starting %s %q\n", time.Now().UTC().Format(time.RFC3339), s.path, s.args)
		cmd := exec.Command(s.path, s.args...)
		cmd.Env = s.env
		cmd.Stdout, cmd.Stderr = lf, lf
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		err = cmd.Start()
		s.cmd = cmd
		s.mu.Unlock()
		started := time.Now()
		if err == nil {
			err = cmd.Wait()
		}
		fmt.Fprintf(lf, "==== %s exited: %v\n", time.Now().UTC().Format(time.RFC3339), err)
		lf.Close()
		s.mu.Lock()
		stopped := s.stopped
		s.mu.Unlock()
		if stopped {
			return
		}
		log.Printf("%s exited (%v); restarting in %s (log %s)", s.name, err, backoff, s.logPath)
		if time.Since(started) > time.Minute {
			backoff = time.Second
		}
		time.Sleep(backoff)
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

// stop sends SIGTERM to the process group, then SIGKILL after grace.
func (s *supervised) stop(grace time.Duration) {
	s.mu.Lock()
	s.stopped = true
	cmd := s.cmd
	s.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	select {
	case <-s.done:
	case <-time.After(grace):
		if cmd != nil && cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		<-s.done
	}
}

func runCmd(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %q: %v: %s", name, args, err, out)
	}
	return nil
}

var _ io.Writer = (*os.File)(nil)
