package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

type podRunner struct {
	k   *kubelet
	uid types.UID
	ns  string
	nm  string
	ip  string
	dir string

	mu         sync.Mutex
	pod        *corev1.Pod
	containers []*ctr
	initDone   bool
	phase      corev1.PodPhase
	waitReason string
	startTime  metav1.Time
	killing    bool
	done       chan struct{}
	dirty      chan struct{}
	ctx        context.Context
	cancel     context.CancelFunc
	// mounts: container mountPath -> host dir/file (per container), used for arg/env rewriting
	volumes map[string]string
	env     []string // base env (KUBECONFIG, KUBERNETES_SERVICE_*)
}

type ctr struct {
	spec    corev1.Container
	isInit  bool
	mu      sync.Mutex
	cmd     *exec.Cmd
	running bool
	started bool // startup probe passed (or none)
	ready   bool
	startAt metav1.Time
	restart int32
	last    *corev1.ContainerStateTerminated
	term    *corev1.ContainerStateTerminated
	waiting string
	message string
	exited  chan struct{}
}

func newPodRunner(k *kubelet, p *corev1.Pod) *podRunner {
	r := &podRunner{k: k, uid: p.UID, ns: p.Namespace, nm: p.Name, pod: p.DeepCopy(), phase: corev1.PodPending,
		waitReason: "ContainerCreating", startTime: metav1.Now(), done: make(chan struct{}), dirty: make(chan struct{}, 1), volumes: map[string]string{}}
	for _, c := range p.Spec.InitContainers {
		r.containers = append(r.containers, &ctr{spec: c, isInit: true, waiting: "PodInitializing"})
	}
	for _, c := range p.Spec.Containers {
		r.containers = append(r.containers, &ctr{spec: c, waiting: "ContainerCreating"})
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r
}

func (r *podRunner) logf(format string, a ...any) {
	r.k.logf("pod %s/%s: %s", r.ns, r.nm, fmt.Sprintf(format, a...))
}

func (r *podRunner) markDirty() {
	select {
	case r.dirty <- struct{}{}:
	default:
	}
}

func (r *podRunner) update(p *corev1.Pod) {
	r.mu.Lock()
	r.pod = p.DeepCopy()
	killing := r.killing
	r.mu.Unlock()
	if p.DeletionTimestamp != nil && !killing {
		grace := 30 * time.Second
		if p.DeletionGracePeriodSeconds != nil {
			grace = time.Duration(*p.DeletionGracePeriodSeconds) * time.Second
		}
		if grace > 10*time.Second {
			grace = 10 * time.Second
		}
		go func() {
			r.kill(grace)
			// Final delete, as the kubelet does once the containers are gone.
			err := r.k.c.client.CoreV1().Pods(r.ns).Delete(context.Background(), r.nm,
				metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0), Preconditions: &metav1.Preconditions{UID: &r.uid}})
			if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
				r.logf("final delete: %v", err)
			}
		}()
	}
}

// kill stops all containers (SIGTERM, then SIGKILL after grace) and forgets the pod.
func (r *podRunner) kill(grace time.Duration) {
	r.mu.Lock()
	if r.killing {
		r.mu.Unlock()
		<-r.done
		return
	}
	r.killing = true
	r.mu.Unlock()
	r.cancel()
	var wg sync.WaitGroup
	for _, c := range r.containers {
		wg.Add(1)
		go func(c *ctr) { defer wg.Done(); c.stop(grace) }(c)
	}
	wg.Wait()
	r.logf("stopped")
	close(r.done)
	r.k.forget(r)
}

func (c *ctr) stop(grace time.Duration) {
	c.mu.Lock()
	cmd, running, exited := c.cmd, c.running, c.exited
	c.mu.Unlock()
	if cmd == nil || !running || cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(grace):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}

func (r *podRunner) run(ctx context.Context) {
	go r.statusLoop(ctx)
	r.ip = r.k.allocIP(r.pod)
	r.dir = r.k.podDir(r.pod)
	r.markDirty()
	// Prepare volumes and credentials; retry like the kubelet does when a Secret is missing.
	backoff := time.Second
	for {
		err := r.prepare(ctx)
		if err == nil {
			break
		}
		r.mu.Lock()
		r.waitReason = "ContainerCreating"
		for _, c := range r.containers {
			c.mu.Lock()
			c.message = err.Error()
			c.mu.Unlock()
		}
		r.mu.Unlock()
		r.logf("prepare: %v (retrying)", err)
		r.markDirty()
		select {
		case <-r.ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 10*time.Second {
			backoff *= 2
		}
	}
	_ = r.k.e.hosts.flush() // publish <hostname>.<subdomain> before the process starts (etcd resolves its own name)
	r.logf("ip %s, dir %s", r.ip, r.dir)

	for _, c := range r.containers {
		if !c.isInit {
			continue
		}
		if ok := r.runInit(c); !ok {
			return
		}
	}
	r.mu.Lock()
	r.initDone = true
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range r.containers {
		if c.isInit {
			continue
		}
		wg.Add(1)
		go func(c *ctr) { defer wg.Done(); r.supervise(c) }(c)
	}
	wg.Wait()
	// All containers finished for good (restartPolicy Never/OnFailure).
	r.mu.Lock()
	if !r.killing {
		r.phase = corev1.PodSucceeded
		for _, c := range r.containers {
			if c.term != nil && c.term.ExitCode != 0 {
				r.phase = corev1.PodFailed
			}
		}
	}
	r.mu.Unlock()
	r.markDirty()
}

func (r *podRunner) restartPolicy() corev1.RestartPolicy {
	if r.pod.Spec.RestartPolicy == "" {
		return corev1.RestartPolicyAlways
	}
	return r.pod.Spec.RestartPolicy
}

func (r *podRunner) runInit(c *ctr) bool {
	backoff := time.Second
	for {
		code, err := r.startAndWait(c)
		if r.ctx.Err() != nil {
			return false
		}
		if err == nil && code == 0 {
			return true
		}
		if r.restartPolicy() == corev1.RestartPolicyNever {
			r.mu.Lock()
			r.phase = corev1.PodFailed
			r.mu.Unlock()
			r.markDirty()
			return false
		}
		select {
		case <-r.ctx.Done():
			return false
		case <-time.After(backoff):
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

// supervise runs a regular container, restarting it per restartPolicy with exponential backoff.
func (r *podRunner) supervise(c *ctr) {
	backoff := time.Second
	for {
		start := time.Now()
		code, err := r.startAndWait(c)
		if r.ctx.Err() != nil {
			return
		}
		pol := r.restartPolicy()
		if pol == corev1.RestartPolicyNever || (pol == corev1.RestartPolicyOnFailure && err == nil && code == 0) {
			return
		}
		if time.Since(start) > 2*time.Minute {
			backoff = time.Second
		}
		c.mu.Lock()
		c.waiting = "CrashLoopBackOff"
		c.mu.Unlock()
		r.markDirty()
		select {
		case <-r.ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

// startAndWait starts the container process, runs its probes and waits for it to exit.
func (r *podRunner) startAndWait(c *ctr) (int, error) {
	path, args, env, err := r.resolve(c)
	if err != nil {
		c.mu.Lock()
		c.waiting, c.message = "CreateContainerError", err.Error()
		c.mu.Unlock()
		r.markDirty()
		r.logf("container %s: %v", c.spec.Name, err)
		return -1, err
	}
	logPath := r.k.logPath(r.pod, c.spec.Name)
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return -1, err
	}
	defer lf.Close()
	fmt.Fprintf(lf, "==== %s starting %s %q\n", time.Now().UTC().Format(time.RFC3339), path, args)
	cmd := exec.Command(path, args...)
	cmd.Args[0] = path
	cmd.Env = env
	cmd.Dir = r.dir
	if c.spec.WorkingDir != "" {
		cmd.Dir = r.rewrite(c.spec.WorkingDir)
		_ = os.MkdirAll(cmd.Dir, 0o755)
	}
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	c.mu.Lock()
	if r.ctx.Err() != nil {
		c.mu.Unlock()
		return -1, r.ctx.Err()
	}
	if err := cmd.Start(); err != nil {
		c.waiting, c.message = "RunContainerError", err.Error()
		c.mu.Unlock()
		r.markDirty()
		return -1, err
	}
	c.cmd, c.running, c.waiting, c.message, c.term = cmd, true, "", "", nil
	c.exited = make(chan struct{})
	c.startAt = metav1.Now()
	c.started = c.spec.StartupProbe == nil
	c.ready = c.spec.ReadinessProbe == nil && c.started
	exited := c.exited
	c.mu.Unlock()
	r.markDirty()

	probeCtx, stopProbes := context.WithCancel(r.ctx)
	if !c.isInit {
		go r.probeLoop(probeCtx, c, exited)
	}
	werr := cmd.Wait()
	stopProbes()
	code := 0
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	}
	fmt.Fprintf(lf, "==== %s exited: code %d (%v)\n", time.Now().UTC().Format(time.RFC3339), code, werr)
	c.mu.Lock()
	reason := "Completed"
	if code != 0 {
		reason = "Error"
	}
	t := &corev1.ContainerStateTerminated{ExitCode: int32(code), Reason: reason, StartedAt: c.startAt, FinishedAt: metav1.Now(), ContainerID: c.containerID()}
	c.running, c.ready, c.term = false, false, t
	close(exited)
	if r.ctx.Err() == nil && !c.isInit {
		pol := r.restartPolicy()
		if pol == corev1.RestartPolicyAlways || (pol == corev1.RestartPolicyOnFailure && code != 0) {
			c.last, c.term = t, nil
			c.restart++
		}
	}
	c.mu.Unlock()
	r.markDirty()
	if code != 0 && r.ctx.Err() == nil {
		r.logf("container %s exited with %d (log %s)", c.spec.Name, code, logPath)
	}
	return code, werr
}

func (c *ctr) containerID() string {
	if c.cmd != nil && c.cmd.Process != nil {
		return fmt.Sprintf("process://%d", c.cmd.Process.Pid)
	}
	return ""
}

// ---- probes ----

func (r *podRunner) probeLoop(ctx context.Context, c *ctr, exited chan struct{}) {
	type state struct {
		probe      *corev1.Probe
		succ, fail int32
		next       time.Time
		kind       string
	}
	now := time.Now()
	var ps []*state
	for kind, p := range map[string]*corev1.Probe{"startup": c.spec.StartupProbe, "readiness": c.spec.ReadinessProbe, "liveness": c.spec.LivenessProbe} {
		if p != nil {
			ps = append(ps, &state{probe: p, kind: kind, next: now.Add(time.Duration(p.InitialDelaySeconds) * time.Second)})
		}
	}
	if len(ps) == 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-exited:
			return
		case <-time.After(250 * time.Millisecond):
		}
		c.mu.Lock()
		started := c.started
		c.mu.Unlock()
		for _, s := range ps {
			if time.Now().Before(s.next) || (s.kind != "startup" && !started) || (s.kind == "startup" && started) {
				continue
			}
			period := time.Duration(max(s.probe.PeriodSeconds, 1)) * time.Second
			s.next = time.Now().Add(period)
			err := r.probe(ctx, c, s.probe)
			succThr, failThr := max(s.probe.SuccessThreshold, 1), max(s.probe.FailureThreshold, 1)
			if err == nil {
				s.succ++
				s.fail = 0
			} else {
				s.fail++
				s.succ = 0
			}
			switch s.kind {
			case "startup":
				if s.succ >= 1 {
					c.mu.Lock()
					c.started = true
					c.ready = c.spec.ReadinessProbe == nil
					c.mu.Unlock()
					r.markDirty()
				} else if s.fail >= failThr {
					r.logf("container %s: startup probe failed %d times (%v); restarting", c.spec.Name, s.fail, err)
					go c.stop(10 * time.Second)
					return
				}
			case "readiness":
				c.mu.Lock()
				old := c.ready
				if s.succ >= succThr {
					c.ready = true
				} else if s.fail >= failThr {
					c.ready = false
				}
				changed := old != c.ready
				c.mu.Unlock()
				if changed {
					r.logf("container %s ready=%v", c.spec.Name, !old)
					r.markDirty()
				}
			case "liveness":
				if s.fail >= failThr {
					r.logf("container %s: liveness probe failed %d times (%v); restarting", c.spec.Name, s.fail, err)
					go c.stop(time.Duration(ptr.Deref(r.pod.Spec.TerminationGracePeriodSeconds, 30)) * time.Second)
					return
				}
			}
		}
	}
}

func (r *podRunner) portNumber(c *ctr, p intstr.IntOrString) int {
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.spec.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	n, _ := strconv.Atoi(p.StrVal)
	return n
}

func (r *podRunner) probe(ctx context.Context, c *ctr, p *corev1.Probe) error {
	timeout := time.Duration(max(p.TimeoutSeconds, 1)) * time.Second
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch {
	case p.HTTPGet != nil:
		h := p.HTTPGet
		host := h.Host
		if host == "" {
			host = r.ip
		}
		scheme := strings.ToLower(string(h.Scheme))
		if scheme == "" {
			scheme = "http"
		}
		url := fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(r.portNumber(c, h.Port))), h.Path)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		for _, hh := range h.HTTPHeaders {
			req.Header.Add(hh.Name, hh.Value)
		}
		cl := &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS, DisableKeepAlives: true}}
		resp, err := cl.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode >= 400 {
			return fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
		}
		return nil
	case p.TCPSocket != nil:
		host := p.TCPSocket.Host
		if host == "" {
			host = r.ip
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(r.portNumber(c, p.TCPSocket.Port))))
		if err != nil {
			return err
		}
		return conn.Close()
	case p.Exec != nil:
		if len(p.Exec.Command) == 0 {
			return fmt.Errorf("empty exec probe")
		}
		_, env, _ := r.envFor(c)
		cmdline := r.expandAll(p.Exec.Command, env)
		bin := r.lookupBinary(cmdline[0])
		cmd := exec.CommandContext(ctx, bin, cmdline[1:]...)
		cmd.Env, cmd.Dir = env, r.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	case p.GRPC != nil:
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(r.ip, strconv.Itoa(int(p.GRPC.Port))))
		if err != nil {
			return err
		}
		return conn.Close()
	}
	return nil
}

// ---- status ----

func (r *podRunner) statusLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.done:
			return
		case <-r.dirty:
		}
		time.Sleep(100 * time.Millisecond) // coalesce bursts
		for i := 0; i < 5; i++ {
			err := r.writeStatus(ctx)
			if err == nil || apierrors.IsNotFound(err) || ctx.Err() != nil {
				break
			}
			if !apierrors.IsConflict(err) {
				r.logf("status: %v", err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

func (r *podRunner) writeStatus(ctx context.Context) error {
	cur, err := r.k.c.client.CoreV1().Pods(r.ns).Get(ctx, r.nm, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if cur.UID != r.uid {
		return apierrors.NewNotFound(corev1.Resource("pods"), r.nm)
	}
	r.mu.Lock()
	st := r.buildStatus(cur.Status)
	r.mu.Unlock()
	cur.Status = st
	_, err = r.k.c.client.CoreV1().Pods(r.ns).UpdateStatus(ctx, cur, metav1.UpdateOptions{})
	return err
}

func setCond(conds []corev1.PodCondition, t corev1.PodConditionType, ok bool, reason string) []corev1.PodCondition {
	s := corev1.ConditionFalse
	if ok {
		s, reason = corev1.ConditionTrue, ""
	}
	for i := range conds {
		if conds[i].Type == t {
			if conds[i].Status != s {
				conds[i].LastTransitionTime = metav1.Now()
			}
			conds[i].Status, conds[i].Reason = s, reason
			return conds
		}
	}
	return append(conds, corev1.PodCondition{Type: t, Status: s, Reason: reason, LastTransitionTime: metav1.Now()})
}

func (r *podRunner) buildStatus(old corev1.PodStatus) corev1.PodStatus {
	st := *old.DeepCopy()
	st.HostIP = r.k.nodeIP
	st.HostIPs = []corev1.HostIP{{IP: r.k.nodeIP}}
	if r.ip != "" {
		st.PodIP = r.ip
		st.PodIPs = []corev1.PodIP{{IP: r.ip}}
	}
	st.StartTime = &r.startTime
	var initSt, ctrSt []corev1.ContainerStatus
	allReady, anyRunning := true, false
	for _, c := range r.containers {
		c.mu.Lock()
		cs := corev1.ContainerStatus{Name: c.spec.Name, Image: c.spec.Image, ImageID: c.spec.Image, RestartCount: c.restart,
			Ready: c.ready, Started: ptr.To(c.running && c.started), ContainerID: c.containerID()}
		switch {
		case c.running:
			cs.State.Running = &corev1.ContainerStateRunning{StartedAt: c.startAt}
			anyRunning = true
		case c.term != nil:
			cs.State.Terminated = c.term
		default:
			reason := c.waiting
			if reason == "" {
				reason = "ContainerCreating"
			}
			cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: reason, Message: c.message}
		}
		if c.last != nil {
			cs.LastTerminationState.Terminated = c.last
		}
		c.mu.Unlock()
		if c.isInit {
			cs.Ready = c.term != nil && c.term.ExitCode == 0
			initSt = append(initSt, cs)
		} else {
			if !cs.Ready {
				allReady = false
			}
			ctrSt = append(ctrSt, cs)
		}
	}
	st.InitContainerStatuses, st.ContainerStatuses = initSt, ctrSt
	if r.phase == corev1.PodSucceeded || r.phase == corev1.PodFailed {
		st.Phase = r.phase
		allReady = false
	} else if anyRunning || r.initDone && len(ctrSt) > 0 && ctrSt[0].RestartCount > 0 {
		st.Phase = corev1.PodRunning
	} else {
		st.Phase = corev1.PodPending
	}
	st.Conditions = setCond(st.Conditions, corev1.PodReadyToStartContainers, r.ip != "", "")
	st.Conditions = setCond(st.Conditions, corev1.PodInitialized, r.initDone, "ContainersNotInitialized")
	st.Conditions = setCond(st.Conditions, corev1.ContainersReady, allReady, "ContainersNotReady")
	st.Conditions = setCond(st.Conditions, corev1.PodReady, allReady, "ContainersNotReady")
	sort.SliceStable(st.Conditions, func(i, j int) bool { return st.Conditions[i].Type < st.Conditions[j].Type })
	return st
}

// ---- container command, env and volumes ----

var varRef = regexp.MustCompile(`\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)`)

// expand implements the kubelet's $(VAR) expansion: defined vars are substituted, $$ escapes, others stay.
func expand(s string, vars map[string]string) string {
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		name := m[2 : len(m)-1]
		if v, ok := vars[name]; ok {
			return v
		}
		return m
	})
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		if i := strings.IndexByte(kv, '='); i > 0 {
			m[kv[:i]] = kv[i+1:]
		}
	}
	return m
}

func (r *podRunner) expandAll(in []string, env []string) []string {
	m := envMap(env)
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = r.rewrite(expand(s, m))
	}
	return out
}

var wildcardBind = regexp.MustCompile(`^(--[A-Za-z0-9-]*(?:address|addr|listen)[A-Za-z0-9-]*=)(?:0\.0\.0\.0)?(:\d+)?$`)

// rewriteBind turns wildcard binds (0.0.0.0, 0.0.0.0:port, :port) into the pod IP: all pods share one network
// namespace, so two pods binding *:8080 would collide where in a real cluster they would not.
func (r *podRunner) rewriteBind(a string) string {
	m := wildcardBind.FindStringSubmatch(a)
	if m == nil || r.pod.Spec.HostNetwork {
		return a
	}
	if !strings.HasSuffix(a, "=0.0.0.0") && m[2] == "" {
		return a
	}
	return m[1] + r.ip + m[2]
}

// rewrite maps container mount paths in a string to the pod's host directories.
func (r *podRunner) rewrite(s string) string {
	paths := make([]string, 0, len(r.volumes))
	for p := range r.volumes {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	for _, mp := range paths {
		re := regexp.MustCompile(`(^|[=,:\s'"])` + regexp.QuoteMeta(mp) + `(/|$|[,\s'"])`)
		s = re.ReplaceAllString(s, "${1}"+r.volumes[mp]+"${2}")
	}
	return s
}

func (r *podRunner) lookupBinary(cmd0 string) string {
	base := filepath.Base(cmd0)
	if p := filepath.Join(r.k.e.bin, base); fileExists(p) {
		return p
	}
	if p, err := exec.LookPath(base); err == nil {
		return p
	}
	return cmd0
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// imageBinary maps an image name to a binary name: registry/path/karmada-agent:v1 -> karmada-agent.
func imageBinary(image string) string {
	if i := strings.LastIndex(image, "@"); i >= 0 {
		image = image[:i]
	}
	base := image[strings.LastIndex(image, "/")+1:]
	if i := strings.Index(base, ":"); i >= 0 {
		base = base[:i]
	}
	return base
}

func (r *podRunner) resolve(c *ctr) (string, []string, []string, error) {
	_, env, err := r.envFor(c)
	if err != nil {
		return "", nil, nil, err
	}
	argv := append([]string{}, c.spec.Command...)
	argv = append(argv, c.spec.Args...)
	if len(c.spec.Command) == 0 {
		// No command: the image entrypoint, i.e. the binary named like the image.
		argv = append([]string{imageBinary(c.spec.Image)}, c.spec.Args...)
	}
	argv = r.expandAll(argv, env)
	bin := filepath.Join(r.k.e.bin, filepath.Base(argv[0]))
	if !fileExists(bin) {
		// e.g. `sh -c ...`: fall back to the machine's binaries.
		if p, err := exec.LookPath(filepath.Base(argv[0])); err == nil && !strings.HasPrefix(filepath.Base(argv[0]), "karmada") {
			bin = p
		} else {
			return "", nil, nil, fmt.Errorf("no local binary for command %q (image %s) in %s", argv[0], c.spec.Image, r.k.e.bin)
		}
	}
	args := argv[1:]
	for i := range args {
		args[i] = r.rewriteBind(args[i])
	}
	return bin, args, env, nil
}

// envFor builds the container environment (kubelet order: service env, then the container's env list).
func (r *podRunner) envFor(c *ctr) (map[string]string, []string, error) {
	env := append(baseEnv(), r.env...)
	vars := envMap(env)
	add := func(k, v string) {
		env = append(env, k+"="+v)
		vars[k] = v
	}
	add("HOSTNAME", r.nm)
	ctx := context.Background()
	for _, ef := range c.spec.EnvFrom {
		var data map[string]string
		switch {
		case ef.SecretRef != nil:
			s, err := r.k.c.client.CoreV1().Secrets(r.ns).Get(ctx, ef.SecretRef.Name, metav1.GetOptions{})
			if err != nil {
				if ptr.Deref(ef.SecretRef.Optional, false) {
					continue
				}
				return nil, nil, err
			}
			data = map[string]string{}
			for k, v := range s.Data {
				data[k] = string(v)
			}
		case ef.ConfigMapRef != nil:
			cm, err := r.k.c.client.CoreV1().ConfigMaps(r.ns).Get(ctx, ef.ConfigMapRef.Name, metav1.GetOptions{})
			if err != nil {
				if ptr.Deref(ef.ConfigMapRef.Optional, false) {
					continue
				}
				return nil, nil, err
			}
			data = cm.Data
		}
		for k, v := range data {
			add(ef.Prefix+k, v)
		}
	}
	for _, ev := range c.spec.Env {
		if ev.ValueFrom == nil {
			add(ev.Name, r.rewrite(expand(ev.Value, vars)))
			continue
		}
		vf := ev.ValueFrom
		switch {
		case vf.FieldRef != nil:
			v := ""
			switch vf.FieldRef.FieldPath {
			case "status.podIP":
				v = r.ip
			case "status.podIPs":
				v = r.ip
			case "status.hostIP", "status.hostIPs":
				v = r.k.nodeIP
			case "metadata.name":
				v = r.nm
			case "metadata.namespace":
				v = r.ns
			case "metadata.uid":
				v = string(r.uid)
			case "spec.nodeName":
				v = r.k.c.nodeName()
			case "spec.serviceAccountName":
				v = r.pod.Spec.ServiceAccountName
			default:
				if strings.HasPrefix(vf.FieldRef.FieldPath, "metadata.labels['") {
					v = r.pod.Labels[strings.TrimSuffix(strings.TrimPrefix(vf.FieldRef.FieldPath, "metadata.labels['"), "']")]
				} else if strings.HasPrefix(vf.FieldRef.FieldPath, "metadata.annotations['") {
					v = r.pod.Annotations[strings.TrimSuffix(strings.TrimPrefix(vf.FieldRef.FieldPath, "metadata.annotations['"), "']")]
				}
			}
			add(ev.Name, v)
		case vf.SecretKeyRef != nil:
			s, err := r.k.c.client.CoreV1().Secrets(r.ns).Get(ctx, vf.SecretKeyRef.Name, metav1.GetOptions{})
			if err != nil {
				if ptr.Deref(vf.SecretKeyRef.Optional, false) {
					continue
				}
				return nil, nil, err
			}
			add(ev.Name, string(s.Data[vf.SecretKeyRef.Key]))
		case vf.ConfigMapKeyRef != nil:
			cm, err := r.k.c.client.CoreV1().ConfigMaps(r.ns).Get(ctx, vf.ConfigMapKeyRef.Name, metav1.GetOptions{})
			if err != nil {
				if ptr.Deref(vf.ConfigMapKeyRef.Optional, false) {
					continue
				}
				return nil, nil, err
			}
			add(ev.Name, cm.Data[vf.ConfigMapKeyRef.Key])
		case vf.ResourceFieldRef != nil:
			add(ev.Name, "0")
		}
	}
	return vars, env, nil
}

// prepare materialises volumes in the pod directory and the in-cluster credentials.
func (r *podRunner) prepare(ctx context.Context) error {
	if r.ip == "" {
		return fmt.Errorf("no pod IP available")
	}
	p := r.pod
	vdir := filepath.Join(r.dir, "volumes")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	hostDirs := map[string]string{}
	for _, v := range p.Spec.Volumes {
		d := filepath.Join(vdir, v.Name)
		switch {
		case v.HostPath != nil:
			// hostPath is redirected below _output/local/hostpath/<cluster>/ (nothing outside _output is touched).
			d = filepath.Join(r.k.e.dir, "hostpath", r.k.c.name, filepath.Clean("/"+v.HostPath.Path))
			if v.HostPath.Type != nil && (*v.HostPath.Type == corev1.HostPathFileOrCreate || *v.HostPath.Type == corev1.HostPathFile) {
				_ = os.MkdirAll(filepath.Dir(d), 0o755)
				if !fileExists(d) {
					_ = os.WriteFile(d, nil, 0o644)
				}
			} else if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		case v.Secret != nil:
			s, err := r.k.c.client.CoreV1().Secrets(r.ns).Get(ctx, v.Secret.SecretName, metav1.GetOptions{})
			if err != nil {
				if apierrors.IsNotFound(err) && ptr.Deref(v.Secret.Optional, false) {
					_ = os.MkdirAll(d, 0o755)
					break
				}
				return fmt.Errorf("volume %s: %w", v.Name, err)
			}
			if err := writeKeys(d, s.Data, v.Secret.Items, v.Secret.DefaultMode); err != nil {
				return err
			}
		case v.ConfigMap != nil:
			cm, err := r.k.c.client.CoreV1().ConfigMaps(r.ns).Get(ctx, v.ConfigMap.Name, metav1.GetOptions{})
			if err != nil {
				if apierrors.IsNotFound(err) && ptr.Deref(v.ConfigMap.Optional, false) {
					_ = os.MkdirAll(d, 0o755)
					break
				}
				return fmt.Errorf("volume %s: %w", v.Name, err)
			}
			data := map[string][]byte{}
			for k, val := range cm.Data {
				data[k] = []byte(val)
			}
			for k, val := range cm.BinaryData {
				data[k] = val
			}
			if err := writeKeys(d, data, v.ConfigMap.Items, v.ConfigMap.DefaultMode); err != nil {
				return err
			}
		case v.Projected != nil:
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			for _, src := range v.Projected.Sources {
				switch {
				case src.Secret != nil:
					s, err := r.k.c.client.CoreV1().Secrets(r.ns).Get(ctx, src.Secret.Name, metav1.GetOptions{})
					if err != nil {
						if ptr.Deref(src.Secret.Optional, false) {
							continue
						}
						return err
					}
					if err := writeKeys(d, s.Data, src.Secret.Items, nil); err != nil {
						return err
					}
				case src.ConfigMap != nil:
					cm, err := r.k.c.client.CoreV1().ConfigMaps(r.ns).Get(ctx, src.ConfigMap.Name, metav1.GetOptions{})
					if err != nil {
						if ptr.Deref(src.ConfigMap.Optional, false) {
							continue
						}
						return err
					}
					data := map[string][]byte{}
					for k, val := range cm.Data {
						data[k] = []byte(val)
					}
					if err := writeKeys(d, data, src.ConfigMap.Items, nil); err != nil {
						return err
					}
				case src.ServiceAccountToken != nil:
					tok, err := r.token(ctx, src.ServiceAccountToken.Audience, src.ServiceAccountToken.ExpirationSeconds)
					if err != nil {
						return err
					}
					if err := os.WriteFile(filepath.Join(d, src.ServiceAccountToken.Path), []byte(tok), 0o600); err != nil {
						return err
					}
				}
			}
		default: // emptyDir and anything else: an empty per-pod directory
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		hostDirs[v.Name] = d
	}
	vols := map[string]string{}
	for _, c := range append(append([]corev1.Container{}, p.Spec.InitContainers...), p.Spec.Containers...) {
		for _, m := range c.VolumeMounts {
			d, ok := hostDirs[m.Name]
			if !ok {
				return fmt.Errorf("container %s mounts unknown volume %s", c.Name, m.Name)
			}
			if m.SubPath != "" {
				d = filepath.Join(d, m.SubPath)
			}
			vols[filepath.Clean(m.MountPath)] = d
		}
	}
	r.volumes = vols

	// In-cluster access: KUBERNETES_SERVICE_* always; KUBECONFIG with a bound ServiceAccount token unless the
	// pod opted out of token automounting (the real in-cluster paths under /var/run/secrets are not available).
	r.env = []string{"KUBERNETES_SERVICE_HOST=" + r.k.c.ip, fmt.Sprintf("KUBERNETES_SERVICE_PORT=%d", apiserverPort),
		fmt.Sprintf("KUBERNETES_SERVICE_PORT_HTTPS=%d", apiserverPort)}
	if ptr.Deref(p.Spec.AutomountServiceAccountToken, true) {
		tok, err := r.token(ctx, "", nil)
		if err != nil {
			return err
		}
		kc := filepath.Join(r.dir, "in-cluster.kubeconfig")
		if err := writeTokenKubeconfig(kc, r.k.c.name, r.k.c.server(), r.k.c.caCert, "sa", tok, r.ns); err != nil {
			return err
		}
		sa := filepath.Join(r.dir, "serviceaccount")
		_ = os.MkdirAll(sa, 0o755)
		_ = os.WriteFile(filepath.Join(sa, "token"), []byte(tok), 0o600)
		_ = os.WriteFile(filepath.Join(sa, "ca.crt"), r.k.c.caCert, 0o644)
		_ = os.WriteFile(filepath.Join(sa, "namespace"), []byte(r.ns), 0o644)
		r.env = append(r.env, "KUBECONFIG="+kc)
		if _, ok := r.volumes["/var/run/secrets/kubernetes.io/serviceaccount"]; !ok {
			r.volumes["/var/run/secrets/kubernetes.io/serviceaccount"] = sa
		}
	}
	return nil
}

func (r *podRunner) token(ctx context.Context, audience string, exp *int64) (string, error) {
	sa := r.pod.Spec.ServiceAccountName
	tr := &authv1.TokenRequest{Spec: authv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](24 * 3600)}}
	if sa == "" {
		sa = "default" // the ServiceAccount admission plugin (disabled here) would have set it
	} else {
		tr.Spec.BoundObjectRef = &authv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: r.nm, UID: r.uid}
	}
	if audience != "" {
		tr.Spec.Audiences = []string{audience}
	}
	if exp != nil && *exp > 0 {
		tr.Spec.ExpirationSeconds = exp
	}
	res, err := r.k.c.client.CoreV1().ServiceAccounts(r.ns).CreateToken(ctx, sa, tr, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token for serviceaccount %s/%s: %w", r.ns, sa, err)
	}
	return res.Status.Token, nil
}

func writeKeys(dir string, data map[string][]byte, items []corev1.KeyToPath, mode *int32) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if mode != nil {
		perm = os.FileMode(*mode) | 0o400
	}
	write := func(rel string, v []byte, m *int32) error {
		p := filepath.Join(dir, rel)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		pm := perm
		if m != nil {
			pm = os.FileMode(*m) | 0o400
		}
		return os.WriteFile(p, v, pm)
	}
	if len(items) > 0 {
		for _, it := range items {
			v, ok := data[it.Key]
			if !ok {
				return fmt.Errorf("key %s not found", it.Key)
			}
			if err := write(it.Path, v, it.Mode); err != nil {
				return err
			}
		}
		return nil
	}
	for k, v := range data {
		if err := write(k, v, nil); err != nil {
			return err
		}
	}
	return nil
}
