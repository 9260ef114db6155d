package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// hostsFile is the harness-owned /etc/hosts (bind-mounted over the namespace's /etc/hosts). It is always
// rewritten in place (same inode), so the bind mount keeps showing the current content.
type hostsFile struct {
	path   string
	static string

	mu      sync.Mutex
	sources map[string]func() [][2]string // name -> (ip, hostname) entries, ordered by source name
	last    string
}

func newHostsFile(path, static string) *hostsFile {
	return &hostsFile{path: path, static: static, sources: map[string]func() [][2]string{}}
}

func (h *hostsFile) addSource(name string, f func() [][2]string) {
	h.mu.Lock()
	h.sources[name] = f
	h.mu.Unlock()
}

// flush regenerates the file; the first source (in name order) that claims a hostname wins.
func (h *hostsFile) flush() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	names := make([]string, 0, len(h.sources))
	for n := range h.sources {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(h.static)
	owner := map[string]string{}
	for _, n := range names {
		entries := h.sources[n]()
		fmt.Fprintf(&b, "# %s\n", n)
		var lines []string
		for _, e := range entries {
			ip, host := e[0], e[1]
			if o, ok := owner[host]; ok && o != n {
				continue
			}
			owner[host] = n
			lines = append(lines, ip+" "+host)
		}
		sort.Strings(lines)
		lines = dedup(lines)
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	content := b.String()
	if content == h.last {
		return nil
	}
	f, err := os.OpenFile(h.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		h.last = content
	}
	return err
}

func dedup(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
