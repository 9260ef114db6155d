package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"
)

// cmdApply server-side-applies every document of a YAML file (kubectl apply --server-side, simplified).
func cmdApply(args []string) error {
	fs := flag.NewFlagSet("apply", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	file := fs.String("f", "", "YAML file ('-' = stdin)")
	_ = fs.Parse(args)
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	dc, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc))
	var in io.Reader = os.Stdin
	if *file != "-" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		in = bytes.NewReader(b)
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(in, 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if len(u.Object) == 0 {
			continue
		}
		gvk := u.GroupVersionKind()
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			return fmt.Errorf("%s: %w", gvk, err)
		}
		data, err := u.MarshalJSON()
		if err != nil {
			return err
		}
		ri := dc.Resource(m.Resource).Namespace(u.GetNamespace())
		if _, err := ri.Patch(context.Background(), u.GetName(), types.ApplyPatchType, data,
			metav1.PatchOptions{FieldManager: "harness", Force: ptr.To(true)}); err != nil {
			return fmt.Errorf("apply %s %s/%s: %w", gvk.Kind, u.GetNamespace(), u.GetName(), err)
		}
		fmt.Printf("%s/%s applied\n", m.Resource.Resource, u.GetName())
	}
}

func cmdDelete(args []string) error {
	fs := flag.NewFlagSet("delete", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	res := fs.String("resource", "", "<resource>.<version>[.<group>]")
	ns := fs.String("namespace", "", "namespace")
	fs.StringVar(ns, "n", "", "namespace (shorthand)")
	name := fs.String("name", "", "object name")
	_ = fs.Parse(args)
	gvr, err := parseResource(*res)
	if err != nil {
		return err
	}
	dc, err := dynClient(*kubeconfig, "")
	if err != nil {
		return err
	}
	return dc.Resource(gvr).Namespace(*ns).Delete(context.Background(), *name,
		metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)})
}
