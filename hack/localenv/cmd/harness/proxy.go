package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// serviceProxy is a userspace kube-proxy for one cluster: one TCP listener per ClusterIP:port and per
// nodeIP:nodePort, forwarding to the ready pods selected by the Service (round-robin).
type serviceProxy struct {
	k      *kubelet
	kickCh chan struct{}
	mu     sync.Mutex
	lst    map[string]*svcListener // "ip:port" -> listener
}

type svcListener struct {
	addr    string
	ns, svc string
	port    corev1.ServicePort
	l       net.Listener
	rr      atomic.Uint64
}

func newServiceProxy(k *kubelet) *serviceProxy {
	return &serviceProxy{k: k, kickCh: make(chan struct{}, 1), lst: map[string]*svcListener{}}
}

func (p *serviceProxy) kick() {
	if p == nil {
		return
	}
	select {
	case p.kickCh <- struct{}{}:
	default:
	}
}

func (p *serviceProxy) run(ctx context.Context) {
	for {
		p.sync()
		if err := p.k.e.hosts.flush(); err != nil {
			p.k.logf("hosts: %v", err)
		}
		select {
		case <-ctx.Done():
			p.closeAll()
			return
		case <-p.kickCh:
			time.Sleep(100 * time.Millisecond)
		case <-time.After(10 * time.Second):
		}
	}
}

func (p *serviceProxy) sync() {
	svcs, err := p.k.svcLister.List(labels.Everything())
	if err != nil {
		return
	}
	want := map[string]*svcListener{}
	for _, s := range svcs {
		for _, sp := range s.Spec.Ports {
			if sp.Protocol != "" && sp.Protocol != corev1.ProtocolTCP {
				continue
			}
			if s.Spec.ClusterIP != "" && s.Spec.ClusterIP != corev1.ClusterIPNone && s.Spec.Type != corev1.ServiceTypeExternalName {
				a := net.JoinHostPort(s.Spec.ClusterIP, strconv.Itoa(int(sp.Port)))
				want[a] = &svcListener{addr: a, ns: s.Namespace, svc: s.Name, port: sp}
			}
			if sp.NodePort != 0 && (s.Spec.Type == corev1.ServiceTypeNodePort || s.Spec.Type == corev1.ServiceTypeLoadBalancer) {
				a := net.JoinHostPort(p.k.nodeIP, strconv.Itoa(int(sp.NodePort)))
				want[a] = &svcListener{addr: a, ns: s.Namespace, svc: s.Name, port: sp}
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for a, l := range p.lst {
		if w, ok := want[a]; !ok || w.ns != l.ns || w.svc != l.svc {
			l.l.Close()
			delete(p.lst, a)
		} else {
			l.port = w.port
		}
	}
	for a, w := range want {
		if _, ok := p.lst[a]; ok {
			continue
		}
		ln, err := net.Listen("tcp", a)
		if err != nil {
			p.k.logf("proxy listen %s (%s/%s): %v", a, w.ns, w.svc, err)
			continue
		}
		w.l = ln
		p.lst[a] = w
		go p.serve(w)
	}
}

func (p *serviceProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for a, l := range p.lst {
		l.l.Close()
		delete(p.lst, a)
	}
}

// endpoints returns podIP:targetPort of the ready pods behind a service port.
func (p *serviceProxy) endpoints(l *svcListener) []string {
	s, err := p.k.svcLister.Services(l.ns).Get(l.svc)
	if err != nil {
		return nil
	}
	if len(s.Spec.Selector) == 0 {
		return p.sliceEndpoints(l)
	}
	pods, err := p.k.podLister.Pods(l.ns).List(labels.SelectorFromSet(s.Spec.Selector))
	if err != nil {
		return nil
	}
	var out []string
	for _, pod := range pods {
		if pod.Status.PodIP == "" || pod.DeletionTimestamp != nil {
			continue
		}
		if !s.Spec.PublishNotReadyAddresses && !podReady(pod) {
			continue
		}
		port := targetPort(pod, l.port)
		if port == 0 {
			continue
		}
		out = append(out, net.JoinHostPort(pod.Status.PodIP, strconv.Itoa(port)))
	}
	return out
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func targetPort(pod *corev1.Pod, sp corev1.ServicePort) int {
	tp := sp.TargetPort
	if tp.Type == intstr.Int {
		if tp.IntVal == 0 {
			return int(sp.Port)
		}
		return int(tp.IntVal)
	}
	for _, c := range pod.Spec.Containers {
		for _, cp := range c.Ports {
			if cp.Name == tp.StrVal {
				return int(cp.ContainerPort)
			}
		}
	}
	return 0
}

func (p *serviceProxy) serve(l *svcListener) {
	for {
		conn, err := l.l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			eps := p.endpoints(l)
			if len(eps) == 0 {
				return // like kube-proxy with no endpoints: reject
			}
			var back net.Conn
			var derr error
			start := int(l.rr.Add(1))
			for i := 0; i < len(eps); i++ {
				back, derr = net.DialTimeout("tcp", eps[(start+i)%len(eps)], 5*time.Second)
				if derr == nil {
					break
				}
			}
			if back == nil {
				p.k.logf("proxy %s -> %v: %v", l.addr, eps, derr)
				return
			}
			defer back.Close()
			done := make(chan struct{}, 2)
			go func() { _, _ = io.Copy(back, conn); closeWrite(back); done <- struct{}{} }()
			go func() { _, _ = io.Copy(conn, back); closeWrite(conn); done <- struct{}{} }()
			<-done
			<-done
		}()
	}
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

var _ = fmt.Sprintf

// sliceEndpoints: Services without a selector (e.g. default/kubernetes) use their EndpointSlices.
func (p *serviceProxy) sliceEndpoints(l *svcListener) []string {
	slices, err := p.k.sliceLister.EndpointSlices(l.ns).List(labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: l.svc}))
	if err != nil {
		return nil
	}
	var out []string
	for _, sl := range slices {
		for _, port := range sl.Ports {
			if port.Name == nil || *port.Name != l.port.Name || port.Port == nil {
				continue
			}
			for _, ep := range sl.Endpoints {
				if ep.Conditions.Ready != nil && !*ep.Conditions.Ready {
					continue
				}
				for _, a := range ep.Addresses {
					out = append(out, net.JoinHostPort(a, strconv.Itoa(int(*port.Port))))
				}
			}
		}
	}
	return out
}
