package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	watchtools "k8s.io/client-go/tools/watch"
	"sigs.k8s.io/yaml"
)

// parseResource: "clusters.v1alpha1.cluster.karmada.io", "deployments.v1.apps", "pods.v1" (core).
func parseResource(s string) (schema.GroupVersionResource, error) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return schema.GroupVersionResource{}, fmt.Errorf("resource %q: want <resource>.<version>[.<group>]", s)
	}
	gvr := schema.GroupVersionResource{Resource: parts[0], Version: parts[1]}
	if len(parts) == 3 {
		gvr.Group = parts[2]
	}
	return gvr, nil
}

func dynClient(kubeconfig, context string) (dynamic.Interface, error) {
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context}).ClientConfig()
	if err != nil {
		return nil, err
	}
	return dynamic.NewForConfig(cfg)
}

func conditionOf(u *unstructured.Unstructured, typ string) (status, reason, message string, found bool) {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != typ {
			continue
		}
		s, _ := m["status"].(string)
		r, _ := m["reason"].(string)
		msg, _ := m["message"].(string)
		return s, r, msg, true
	}
	return "", "", "", false
}

func cmdWaitCondition(args []string) error {
	fs := flag.NewFlagSet("wait-condition", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	kctx := fs.String("context", "", "kubeconfig context")
	res := fs.String("resource", "", "<resource>.<version>[.<group>], e.g. clusters.v1alpha1.cluster.karmada.io")
	ns := fs.String("namespace", "", "namespace (namespaced resources)")
	fs.StringVar(ns, "n", "", "namespace (shorthand)")
	name := fs.String("name", "", "object name")
	cond := fs.String("condition", "Ready", "condition type, optionally =Status (default True)")
	timeout := fs.Duration("timeout", 3*time.Minute, "timeout")
	_ = fs.Parse(args)
	gvr, err := parseResource(*res)
	if err != nil {
		return err
	}
	typ, want := *cond, "True"
	if i := strings.IndexByte(typ, '='); i >= 0 {
		typ, want = typ[:i], typ[i+1:]
	}
	dc, err := dynClient(*kubeconfig, *kctx)
	if err != nil {
		return err
	}
	ri := dc.Resource(gvr).Namespace(*ns)
	sel := fields.OneTermEqualSelector("metadata.name", *name).String()
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = sel
			return ri.List(context.Background(), o)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = sel
			return ri.Watch(context.Background(), o)
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	last := "object not found"
	start := time.Now()
	_, err = watchtools.UntilWithSync(ctx, lw, &unstructured.Unstructured{}, nil, func(ev watch.Event) (bool, error) {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok || ev.Type == watch.Deleted {
			last = "object deleted"
			return false, nil
		}
		s, r, m, found := conditionOf(u, typ)
		if !found {
			last = fmt.Sprintf("condition %s not present", typ)
			return false, nil
		}
		last = fmt.Sprintf("%s=%s reason=%q message=%q", typ, s, r, m)
		return s == want, nil
	})
	if err != nil {
		return fmt.Errorf("%s %s/%s: condition %s=%s not reached within %s; last seen: %s", gvr.String(), *ns, *name, typ, want, *timeout, last)
	}
	fmt.Printf("%s %s: %s=%s (after %s)\n", gvr.Resource, *name, typ, want, time.Since(start).Round(time.Second))
	return nil
}

func cmdGet(args []string) error {
	fs := flag.NewFlagSet("get", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	kctx := fs.String("context", "", "kubeconfig context")
	res := fs.String("resource", "", "<resource>.<version>[.<group>]")
	ns := fs.String("namespace", "", "namespace ('' = all)")
	fs.StringVar(ns, "n", "", "namespace (shorthand)")
	name := fs.String("name", "", "object name ('' = list)")
	field := fs.String("field", "", "print only this dot-separated field of the object (with --name), e.g. spec.replicas")
	_ = fs.Parse(args)
	gvr, err := parseResource(*res)
	if err != nil {
		return err
	}
	dc, err := dynClient(*kubeconfig, *kctx)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var obj any
	if *name != "" {
		u, err := dc.Resource(gvr).Namespace(*ns).Get(ctx, *name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		obj = u.Object
		if *field != "" {
			v, found, err := unstructured.NestedFieldNoCopy(u.Object, strings.Split(*field, ".")...)
			if err != nil || !found {
				return fmt.Errorf("field %s not found", *field)
			}
			if s, ok := v.(string); ok {
				fmt.Println(s)
				return nil
			}
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			fmt.Println(string(b))
			return nil
		}
	} else {
		l, err := dc.Resource(gvr).Namespace(*ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		obj = l.UnstructuredContent()
	}
	b, err := yaml.Marshal(obj)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}

// cmdDump prints a kubectl-get-like overview of workloads, for test failure logs.
func cmdDump(args []string) error {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	_ = fs.Parse(args)
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx := context.Background()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	defer w.Flush()
	if nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{}); err == nil {
		for _, n := range nodes.Items {
			fmt.Fprintf(w, "node/%s\tlabels=%v\n", n.Name, n.Labels)
		}
	} else {
		fmt.Fprintf(w, "nodes: %v\n", err)
	}
	if ds, err := cs.AppsV1().Deployments("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, d := range ds.Items {
			fmt.Fprintf(w, "deployment/%s/%s\treplicas=%d updated=%d ready=%d available=%d gen=%d observed=%d\n", d.Namespace, d.Name,
				*d.Spec.Replicas, d.Status.UpdatedReplicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas, d.Generation, d.Status.ObservedGeneration)
		}
	}
	if ss, err := cs.AppsV1().StatefulSets("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, d := range ss.Items {
			fmt.Fprintf(w, "statefulset/%s/%s\treplicas=%d ready=%d available=%d\n", d.Namespace, d.Name, *d.Spec.Replicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas)
		}
	}
	if pods, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, p := range pods.Items {
			var st []string
			for _, c := range p.Status.ContainerStatuses {
				s := "?"
				switch {
				case c.State.Running != nil:
					s = "running"
				case c.State.Waiting != nil:
					s = "waiting:" + c.State.Waiting.Reason + " " + c.State.Waiting.Message
				case c.State.Terminated != nil:
					s = fmt.Sprintf("terminated:%d", c.State.Terminated.ExitCode)
				}
				st = append(st, fmt.Sprintf("%s(ready=%v restarts=%d %s)", c.Name, c.Ready, c.RestartCount, s))
			}
			fmt.Fprintf(w, "pod/%s/%s\tnode=%s phase=%s ip=%s %s\n", p.Namespace, p.Name, p.Spec.NodeName, p.Status.Phase, p.Status.PodIP, strings.Join(st, " "))
		}
	}
	if svcs, err := cs.CoreV1().Services("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, s := range svcs.Items {
			fmt.Fprintf(w, "service/%s/%s\ttype=%s clusterIP=%s ports=%v\n", s.Namespace, s.Name, s.Spec.Type, s.Spec.ClusterIP, s.Spec.Ports)
		}
	}
	return nil
}
