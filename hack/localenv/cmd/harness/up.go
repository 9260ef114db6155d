package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

const (
	etcdClientURL = "http://127.0.0.1:12379" // off 127.0.0.1:2379, which the karmada-etcd pod uses
	etcdPeerURL   = "http://127.0.0.1:12380"
	apiserverPort = 6443
)

// cluster describes one local cluster. Index i gets machine IP 10.200.0.(i+1), service CIDR 10.(96+i).0.0/16
// and (if it runs pods) pod IPs 10.244.i.0/24.
type cluster struct {
	name     string
	idx      int
	ip       string
	svcCIDR  string
	runsPods bool

	dir        string
	kubeconfig string
	caCert     []byte
	client     *kubernetes.Clientset
	procs      []*supervised
	kubelet    *kubelet
}

func (c *cluster) server() string   { return fmt.Sprintf("https://%s:%d", c.ip, apiserverPort) }
func (c *cluster) nodeName() string { return c.name + "-control-plane" }

type env struct {
	dir      string
	bin      string
	clusters []*cluster
	etcd     *supervised
	hosts    *hostsFile
}

func cmdUp(args []string) error {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	dir := fs.String("dir", "_output/local", "state directory (kubeconfigs, logs, pods)")
	bin := fs.String("bin", "_output/fixtures/bin", "directory with fixture binaries")
	names := fs.String("clusters", "host,member1,member2,member3", "cluster names")
	podClusters := fs.String("pod-clusters", "host,member3", "clusters that get a process kubelet")
	_ = fs.Parse(args)

	e := &env{}
	var err error
	if e.dir, err = filepath.Abs(*dir); err != nil {
		return err
	}
	if e.bin, err = filepath.Abs(*bin); err != nil {
		return err
	}
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	log.SetPrefix("[harness] ")

	// Refuse to touch the machine's own network: we must be inside a private network namespace.
	self, _ := os.Readlink("/proc/self/ns/net")
	init, _ := os.Readlink("/proc/1/ns/net")
	if self == init && os.Getenv("HARNESS_ALLOW_HOST_NETNS") == "" {
		return fmt.Errorf("refusing to run in the initial network namespace (%s); start via hack/local-up.sh (unshare -Urnm)", self)
	}

	for _, sub := range []string{"etcd", "clusters", "pods", "logs", "hostpath"} {
		_ = os.RemoveAll(filepath.Join(e.dir, sub))
	}
	old, _ := filepath.Glob(filepath.Join(e.dir, "*.kubeconfig"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	for _, sub := range []string{"logs", "pods", "clusters"} {
		if err := os.MkdirAll(filepath.Join(e.dir, sub), 0o755); err != nil {
			return err
		}
	}
	_ = os.Remove(filepath.Join(e.dir, "ready"))
	if err := os.WriteFile(filepath.Join(e.dir, "harness.pid"), []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		return err
	}

	pods := map[string]bool{}
	for _, n := range strings.Split(*podClusters, ",") {
		pods[strings.TrimSpace(n)] = true
	}
	for i, n := range strings.Split(*names, ",") {
		n = strings.TrimSpace(n)
		c := &cluster{name: n, idx: i, ip: fmt.Sprintf("10.200.0.%d", i+1), svcCIDR: fmt.Sprintf("10.%d.0.0/16", 96+i), runsPods: pods[n]}
		c.dir = filepath.Join(e.dir, "clusters", n)
		c.kubeconfig = filepath.Join(e.dir, n+".kubeconfig")
		e.clusters = append(e.clusters, c)
	}

	if err := e.setupNetwork(); err != nil {
		return fmt.Errorf("network setup: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)

	errc := make(chan error, 1)
	go func() { errc <- e.start(ctx) }()
	select {
	case err = <-errc:
		if err != nil {
			log.Printf("startup failed: %v", err)
			_ = os.WriteFile(filepath.Join(e.dir, "failed"), []byte(err.Error()+"\n"), 0o644)
		} else {
			log.Printf("all clusters ready")
			_ = os.WriteFile(filepath.Join(e.dir, "ready"), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
			s := <-sigs
			log.Printf("got %v, shutting down", s)
		}
	case s := <-sigs:
		log.Printf("got %v during startup, shutting down", s)
	}
	cancel()
	e.shutdown()
	_ = os.Remove(filepath.Join(e.dir, "ready"))
	_ = os.Remove(filepath.Join(e.dir, "harness.pid"))
	log.Printf("stopped")
	return err
}

func (e *env) setupNetwork() error {
	cmds := [][]string{{"ip", "link", "set", "lo", "up"},
		{"ip", "route", "add", "local", "10.96.0.0/12", "dev", "lo"},
		{"ip", "route", "add", "local", "10.244.0.0/16", "dev", "lo"}}
	for _, c := range e.clusters {
		cmds = append(cmds, []string{"ip", "addr", "add", c.ip + "/32", "dev", "lo"})
	}
	for _, c := range cmds {
		if err := runCmd(c[0], c[1:]...); err != nil {
			return err
		}
	}
	_ = os.WriteFile("/proc/sys/net/ipv4/ip_unprivileged_port_start", []byte("0"), 0o644)

	// resolv.conf: no DNS server in here; 127.0.0.1:53 refuses at once, so unknown names fail fast.
	resolv := filepath.Join(e.dir, "resolv.conf")
	if err := os.WriteFile(resolv, []byte("nameserver 127.0.0.1\noptions attempts:1 timeout:1\n"), 0o644); err != nil {
		return err
	}
	if err := runCmd("mount", "--bind", resolv, "/etc/resolv.conf"); err != nil {
		return err
	}
	orig, _ := os.ReadFile("/etc/hosts")
	var static []string
	static = append(static, "# static entries (copied from the machine's /etc/hosts)", strings.TrimRight(string(orig), "\n"), "# local clusters")
	for _, c := range e.clusters {
		static = append(static, fmt.Sprintf("%s %s %s.local", c.ip, c.name, c.name))
	}
	e.hosts = newHostsFile(filepath.Join(e.dir, "hosts"), strings.Join(static, "\n")+"\n")
	if err := e.hosts.flush(); err != nil {
		return err
	}
	return runCmd("mount", "--bind", e.hosts.path, "/etc/hosts")
}

func (e *env) start(ctx context.Context) error {
	if err := e.startEtcd(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(e.clusters))
	for i, c := range e.clusters {
		wg.Add(1)
		go func(i int, c *cluster) {
			defer wg.Done()
			errs[i] = e.startCluster(ctx, c)
		}(i, c)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (e *env) startEtcd(ctx context.Context) error {
	data := filepath.Join(e.dir, "etcd")
	e.etcd = startSupervised("etcd", filepath.Join(e.bin, "etcd"), []string{
		"--name=local", "--data-dir=" + data,
		"--listen-client-urls=" + etcdClientURL, "--advertise-client-urls=" + etcdClientURL,
		"--listen-peer-urls=" + etcdPeerURL, "--initial-advertise-peer-urls=" + etcdPeerURL,
		"--initial-cluster=local=" + etcdPeerURL, "--unsafe-no-fsync=true", "--log-level=warn",
		"--quota-backend-bytes=4294967296",
	}, baseEnv(), filepath.Join(e.dir, "logs", "etcd.log"))
	return waitFor(ctx, 60*time.Second, "etcd health", func() error {
		resp, err := http.Get(etcdClientURL + "/health")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	})
}

func baseEnv() []string {
	return []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"}
}

func (e *env) startCluster(ctx context.Context, c *cluster) error {
	pki := filepath.Join(c.dir, "pki")
	if err := os.MkdirAll(pki, 0o755); err != nil {
		return err
	}
	ca, err := newCA(c.name + "-ca")
	if err != nil {
		return err
	}
	_, svcNet, _ := net.ParseCIDR(c.svcCIDR)
	svcIP := make(net.IP, 4)
	copy(svcIP, svcNet.IP.To4())
	svcIP[3] = 1
	serving, err := ca.issue("kube-apiserver", nil,
		[]string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost", c.name, c.name + ".local"},
		[]net.IP{net.ParseIP(c.ip), net.ParseIP("127.0.0.1"), svcIP}, true)
	if err != nil {
		return err
	}
	admin, err := ca.issue("kubernetes-admin", []string{"system:masters"}, nil, nil, false)
	if err != nil {
		return err
	}
	kcmCert, err := ca.issue("system:kube-controller-manager", nil, nil, nil, false)
	if err != nil {
		return err
	}
	for name, kp := range map[string]*keyPair{"ca": ca, "apiserver": serving, "admin": admin, "kcm": kcmCert} {
		if err := kp.write(filepath.Join(pki, name)); err != nil {
			return err
		}
	}
	if err := writeRSAKey(filepath.Join(pki, "sa")); err != nil {
		return err
	}
	c.caCert = ca.certPEM
	if err := writeKubeconfig(c.kubeconfig, c.name, c.server(), ca.certPEM, c.name+"-admin", admin.certPEM, admin.keyPEM); err != nil {
		return err
	}
	kcmKubeconfig := filepath.Join(c.dir, "kcm.kubeconfig")
	if err := writeKubeconfig(kcmKubeconfig, c.name, c.server(), ca.certPEM, "kube-controller-manager", kcmCert.certPEM, kcmCert.keyPEM); err != nil {
		return err
	}

	p := func(n string) string { return filepath.Join(pki, n) }
	apiArgs := []string{
		"--etcd-servers=" + etcdClientURL, "--etcd-prefix=/registry-" + c.name,
		"--bind-address=" + c.ip, "--advertise-address=" + c.ip, fmt.Sprintf("--secure-port=%d", apiserverPort),
		"--cert-dir=" + filepath.Join(c.dir, "apiserver-certs"),
		"--tls-cert-file=" + p("apiserver.crt"), "--tls-private-key-file=" + p("apiserver.key"),
		"--client-ca-file=" + p("ca.crt"),
		"--authorization-mode=Node,RBAC", "--enable-bootstrap-token-auth=true", "--allow-privileged=true",
		"--service-cluster-ip-range=" + c.svcCIDR,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p("sa.pub"), "--service-account-signing-key-file=" + p("sa.key"),
		// As envtest does: no ServiceAccount admission, so pods get no projected token volume (there is no
		// real kubelet); the process kubelet hands pods a KUBECONFIG instead (docs/local-clusters.md).
		"--disable-admission-plugins=ServiceAccount",
		"--profiling=false", "--v=1",
	}
	c.procs = append(c.procs, startSupervised(c.name+"/kube-apiserver", filepath.Join(e.bin, "kube-apiserver"), apiArgs, baseEnv(),
		filepath.Join(e.dir, "logs", c.name+"-kube-apiserver.log")))

	cfg, err := clientcmd.BuildConfigFromFlags("", c.kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 50, 100
	if c.client, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	if err := waitFor(ctx, 180*time.Second, c.name+" kube-apiserver /readyz", func() error {
		body, err := c.client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			return fmt.Errorf("%v %s", err, body)
		}
		return nil
	}); err != nil {
		return err
	}
	log.Printf("%s: kube-apiserver ready at %s", c.name, c.server())

	kcmArgs := []string{
		"--kubeconfig=" + kcmKubeconfig, "--leader-elect=false", "--secure-port=0",
		"--controllers=*,bootstrapsigner,tokencleaner",
		"--cluster-name=" + c.name,
		"--cluster-signing-cert-file=" + p("ca.crt"), "--cluster-signing-key-file=" + p("ca.key"),
		"--root-ca-file=" + p("ca.crt"), "--service-account-private-key-file=" + p("sa.key"),
		"--use-service-account-credentials=true", "--service-cluster-ip-range=" + c.svcCIDR,
		"--concurrent-deployment-syncs=5", "--v=1",
	}
	c.procs = append(c.procs, startSupervised(c.name+"/kube-controller-manager", filepath.Join(e.bin, "kube-controller-manager"), kcmArgs, baseEnv(),
		filepath.Join(e.dir, "logs", c.name+"-kube-controller-manager.log")))

	if c.runsPods {
		c.kubelet = newKubelet(e, c)
		if err := c.kubelet.start(ctx); err != nil {
			return err
		}
	}
	// Ready when the controllers work: the default ServiceAccount exists (serviceaccount controller) and,
	// for pod clusters, the node is registered.
	if err := waitFor(ctx, 180*time.Second, c.name+" default ServiceAccount", func() error {
		_, err := c.client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	}); err != nil {
		return err
	}
	if c.runsPods {
		if err := waitFor(ctx, 60*time.Second, c.name+" node Ready", func() error {
			n, err := c.client.CoreV1().Nodes().Get(ctx, c.nodeName(), metav1.GetOptions{})
			if err != nil {
				return err
			}
			for _, cond := range n.Status.Conditions {
				if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
					return nil
				}
			}
			return fmt.Errorf("not ready")
		}); err != nil {
			return err
		}
	}
	log.Printf("%s: ready", c.name)
	return nil
}

func (e *env) shutdown() {
	var wg sync.WaitGroup
	for _, c := range e.clusters {
		if c.kubelet != nil {
			wg.Add(1)
			go func(k *kubelet) { defer wg.Done(); k.stopAll() }(c.kubelet)
		}
	}
	wg.Wait()
	for _, c := range e.clusters {
		for i := len(c.procs) - 1; i >= 0; i-- {
			wg.Add(1)
			go func(p *supervised) { defer wg.Done(); p.stop(10 * time.Second) }(c.procs[i])
		}
	}
	wg.Wait()
	if e.etcd != nil {
		e.etcd.stop(10 * time.Second)
	}
}

func waitFor(ctx context.Context, timeout time.Duration, what string, f func() error) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		if last = f(); last == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s: %v", timeout, what, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func writeKubeconfig(path, clusterName, server string, ca []byte, user string, cert, key []byte) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[clusterName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	au := &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.AuthInfos[user] = au
	cfg.Contexts[clusterName] = &clientcmdapi.Context{Cluster: clusterName, AuthInfo: user}
	cfg.CurrentContext = clusterName
	return clientcmd.WriteToFile(*cfg, path)
}

func writeTokenKubeconfig(path, clusterName, server string, ca []byte, user, token, namespace string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[clusterName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts[clusterName] = &clientcmdapi.Context{Cluster: clusterName, AuthInfo: user, Namespace: namespace}
	cfg.CurrentContext = clusterName
	return clientcmd.WriteToFile(*cfg, path)
}

var insecureTLS = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // probes, like the kubelet's
