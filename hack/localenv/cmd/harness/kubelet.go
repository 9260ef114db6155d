package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	coordv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	corelisters "k8s.io/client-go/listers/core/v1"
	discoverylisters "k8s.io/client-go/listers/discovery/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"
)

// kubelet is the "process kubelet" of one cluster: it registers a Ready node, binds pending pods to it,
// runs their containers as local processes, writes pod status, proxies Services and publishes their
// names in /etc/hosts.
type kubelet struct {
	e      *env
	c      *cluster
	nodeIP string

	factory     informers.SharedInformerFactory
	podLister   corelisters.PodLister
	svcLister   corelisters.ServiceLister
	sliceLister discoverylisters.EndpointSliceLister

	mu      sync.Mutex
	runners map[types.UID]*podRunner
	usedIPs map[string]bool
	nextIP  int
	stopped bool

	proxy *serviceProxy
}

func newKubelet(e *env, c *cluster) *kubelet {
	return &kubelet{e: e, c: c, nodeIP: c.ip, runners: map[types.UID]*podRunner{}, usedIPs: map[string]bool{}, nextIP: 2}
}

func (k *kubelet) logf(format string, a ...any) {
	log.Printf("%s/kubelet: %s", k.c.name, fmt.Sprintf(format, a...))
}

func (k *kubelet) start(ctx context.Context) error {
	if err := k.registerNode(ctx); err != nil {
		return err
	}
	go k.heartbeat(ctx)

	k.factory = informers.NewSharedInformerFactory(k.c.client, 30*time.Second)
	podInf := k.factory.Core().V1().Pods()
	svcInf := k.factory.Core().V1().Services()
	k.podLister = podInf.Lister()
	k.svcLister = svcInf.Lister()
	k.sliceLister = k.factory.Discovery().V1().EndpointSlices().Lister()
	k.proxy = newServiceProxy(k)

	_, _ = podInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { k.onPod(ctx, o.(*corev1.Pod)) },
		UpdateFunc: func(_, o any) { k.onPod(ctx, o.(*corev1.Pod)) },
		DeleteFunc: func(o any) {
			if t, ok := o.(cache.DeletedFinalStateUnknown); ok {
				o = t.Obj
			}
			if p, ok := o.(*corev1.Pod); ok {
				k.onPodGone(p)
			}
		},
	})
	_, _ = svcInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { k.proxy.kick() },
		UpdateFunc: func(any, any) { k.proxy.kick() },
		DeleteFunc: func(any) { k.proxy.kick() },
	})
	k.e.hosts.addSource(fmt.Sprintf("%02d-%s", k.c.idx, k.c.name), k.hostEntries)
	k.factory.Start(ctx.Done())
	k.factory.WaitForCacheSync(ctx.Done())
	go k.proxy.run(ctx)
	k.logf("node %s registered (IP %s)", k.c.nodeName(), k.nodeIP)
	return nil
}

func (k *kubelet) nodeConditions() []corev1.NodeCondition {
	now := metav1.Now()
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return []corev1.NodeCondition{
		cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory"),
		cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure"),
		cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID"),
		cond(corev1.NodeNetworkUnavailable, corev1.ConditionFalse, "RouteCreated"),
		cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady"),
	}
}

func (k *kubelet) registerNode(ctx context.Context) error {
	name := k.c.nodeName()
	res := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("32"),
		corev1.ResourceMemory:           resource.MustParse("64Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
			"beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
			"node-role.kubernetes.io/control-plane": "",
		}},
	}
	err := waitFor(ctx, 60*time.Second, "node create", func() error {
		_, err := k.c.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return waitFor(ctx, 30*time.Second, "node status", func() error {
		n, err := k.c.client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		n.Status.Capacity, n.Status.Allocatable = res, res
		n.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: k.nodeIP}, {Type: corev1.NodeHostName, Address: name}}
		n.Status.Conditions = k.nodeConditions()
		n.Status.NodeInfo = corev1.NodeSystemInfo{KubeletVersion: "v1.35.3", KubeProxyVersion: "v1.35.3", OperatingSystem: "linux",
			Architecture: "amd64", ContainerRuntimeVersion: "process://local", OSImage: "local process kubelet"}
		n.Status.Phase = corev1.NodeRunning
		_, err = k.c.client.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
		return err
	})
}

func (k *kubelet) heartbeat(ctx context.Context) {
	name := k.c.nodeName()
	leases := k.c.client.CoordinationV1().Leases("kube-node-lease")
	lastStatus := time.Now()
	for {
		now := metav1.NewMicroTime(time.Now())
		l, err := leases.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			_, err = leases.Create(ctx, &coordv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-node-lease"},
				Spec: coordv1.LeaseSpec{HolderIdentity: ptr.To(name), LeaseDurationSeconds: ptr.To[int32](40), RenewTime: &now}}, metav1.CreateOptions{})
		} else if err == nil {
			l.Spec.RenewTime = &now
			_, err = leases.Update(ctx, l, metav1.UpdateOptions{})
		}
		if err != nil && ctx.Err() == nil {
			k.logf("lease: %v", err)
		}
		if time.Since(lastStatus) > 30*time.Second {
			if n, err := k.c.client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{}); err == nil {
				n.Status.Conditions = k.nodeConditions()
				_, _ = k.c.client.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
				lastStatus = time.Now()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Second):
		}
	}
}

// onPod handles every pod event: trivial scheduling, starting runners, and deletion.
func (k *kubelet) onPod(ctx context.Context, p *corev1.Pod) {
	k.proxy.kick()
	if p.Spec.NodeName == "" {
		k.maybeBind(ctx, p)
		return
	}
	if p.Spec.NodeName != k.c.nodeName() {
		return
	}
	k.mu.Lock()
	if k.stopped {
		k.mu.Unlock()
		return
	}
	r := k.runners[p.UID]
	if r == nil {
		if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			k.mu.Unlock()
			if p.DeletionTimestamp != nil {
				_ = k.c.client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0), Preconditions: &metav1.Preconditions{UID: &p.UID}})
			}
			return
		}
		r = newPodRunner(k, p)
		k.runners[p.UID] = r
		k.mu.Unlock()
		go r.run(ctx)
		return
	}
	k.mu.Unlock()
	r.update(p)
}

func (k *kubelet) onPodGone(p *corev1.Pod) {
	k.proxy.kick()
	k.mu.Lock()
	r := k.runners[p.UID]
	k.mu.Unlock()
	if r != nil {
		go r.kill(0)
	}
}

func (k *kubelet) forget(r *podRunner) {
	k.mu.Lock()
	delete(k.runners, r.uid)
	delete(k.usedIPs, r.ip)
	k.mu.Unlock()
	_ = k.e.hosts.flush()
	k.proxy.kick()
}

func (k *kubelet) allocIP(p *corev1.Pod) string {
	if p.Spec.HostNetwork {
		return k.nodeIP
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for i := 0; i < 253; i++ {
		n := k.nextIP
		k.nextIP++
		if k.nextIP > 254 {
			k.nextIP = 2
		}
		ip := fmt.Sprintf("10.244.%d.%d", k.c.idx, n)
		if !k.usedIPs[ip] {
			k.usedIPs[ip] = true
			return ip
		}
	}
	return ""
}

func (k *kubelet) maybeBind(ctx context.Context, p *corev1.Pod) {
	if p.DeletionTimestamp != nil || (p.Spec.SchedulerName != "" && p.Spec.SchedulerName != corev1.DefaultSchedulerName) {
		return
	}
	if len(p.Spec.NodeSelector) > 0 {
		node, err := k.factoryNode(ctx)
		if err != nil || !labels.SelectorFromSet(p.Spec.NodeSelector).Matches(labels.Set(node.Labels)) {
			return // stays Pending, re-checked on resync (every 30s) like an unschedulable pod
		}
	}
	err := k.c.client.CoreV1().Pods(p.Namespace).Bind(ctx, &corev1.Binding{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: p.UID},
		Target:     corev1.ObjectReference{Kind: "Node", Name: k.c.nodeName()},
	}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsConflict(err) && ctx.Err() == nil {
		k.logf("bind %s/%s: %v", p.Namespace, p.Name, err)
	}
}

func (k *kubelet) factoryNode(ctx context.Context) (*corev1.Node, error) {
	return k.c.client.CoreV1().Nodes().Get(ctx, k.c.nodeName(), metav1.GetOptions{})
}

func (k *kubelet) stopAll() {
	k.mu.Lock()
	k.stopped = true
	rs := make([]*podRunner, 0, len(k.runners))
	for _, r := range k.runners {
		rs = append(rs, r)
	}
	k.mu.Unlock()
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go func(r *podRunner) { defer wg.Done(); r.kill(5 * time.Second) }(r)
	}
	wg.Wait()
	if k.proxy != nil {
		k.proxy.closeAll()
	}
}

// hostEntries: service names, headless pod names and ExternalName aliases of this cluster.
func (k *kubelet) hostEntries() [][2]string {
	var out [][2]string
	names := func(n, ns string) []string {
		return []string{n + "." + ns, n + "." + ns + ".svc", n + "." + ns + ".svc.cluster.local"}
	}
	pods, _ := k.podLister.List(labels.Everything())
	k.mu.Lock()
	runnerIPs := map[types.UID]string{}
	for uid, r := range k.runners {
		runnerIPs[uid] = r.ip
	}
	k.mu.Unlock()
	podIP := func(p *corev1.Pod) string {
		if ip := runnerIPs[p.UID]; ip != "" {
			return ip
		}
		return p.Status.PodIP
	}
	for _, p := range pods {
		ip := podIP(p)
		if ip == "" || p.Spec.Hostname == "" || p.Spec.Subdomain == "" {
			continue
		}
		for _, n := range names(p.Spec.Hostname+"."+p.Spec.Subdomain, p.Namespace)[1:] {
			out = append(out, [2]string{ip, n})
		}
	}
	svcs, _ := k.svcLister.List(labels.Everything())
	byName := map[string]string{}
	for _, s := range svcs {
		switch {
		case s.Spec.Type == corev1.ServiceTypeExternalName:
		case s.Spec.ClusterIP == corev1.ClusterIPNone:
			for _, p := range pods {
				if ip := podIP(p); ip != "" && p.Namespace == s.Namespace && len(s.Spec.Selector) > 0 &&
					labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(p.Labels)) && p.DeletionTimestamp == nil {
					for _, n := range names(s.Name, s.Namespace) {
						out = append(out, [2]string{ip, n})
					}
				}
			}
		case s.Spec.ClusterIP != "":
			for _, n := range names(s.Name, s.Namespace) {
				out = append(out, [2]string{s.Spec.ClusterIP, n})
				byName[n] = s.Spec.ClusterIP
			}
		}
	}
	for _, s := range svcs {
		if s.Spec.Type == corev1.ServiceTypeExternalName {
			target := s.Spec.ExternalName
			ip := byName[target]
			if ip == "" && net.ParseIP(target) != nil {
				ip = target
			}
			if ip != "" {
				for _, n := range names(s.Name, s.Namespace) {
					out = append(out, [2]string{ip, n})
				}
			}
		}
	}
	return out
}

func (k *kubelet) podDir(p *corev1.Pod) string {
	return filepath.Join(k.e.dir, "pods", k.c.name, fmt.Sprintf("%s_%s_%s", p.Namespace, p.Name, string(p.UID)[:8]))
}

func (k *kubelet) logPath(p *corev1.Pod, container string) string {
	d := filepath.Join(k.e.dir, "logs", k.c.name)
	_ = os.MkdirAll(d, 0o755)
	return filepath.Join(d, fmt.Sprintf("%s_%s_%s.log", p.Namespace, p.Name, container))
}
