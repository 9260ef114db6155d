// Command k8sbins is a multi-call binary ("hyperkube" style) holding the upstream kube-apiserver,
// kube-controller-manager (k8s.io/kubernetes v1.35.3) and etcd (go.etcd.io/etcd/server/v3 v3.6.x).
// It dispatches on the basename of argv[0] (symlinks), or on argv[1] when invoked as k8sbins.
// Exactly one component runs per process.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	_ "time/tzdata"

	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	kcm "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args
	if name == "k8sbins" {
		if len(os.Args) < 2 {
			fmt.Fprintln(os.Stderr, "usage: k8sbins kube-apiserver|kube-controller-manager|etcd [flags]")
			os.Exit(2)
		}
		name = os.Args[1]
		args = append([]string{name}, os.Args[2:]...)
		os.Args = args
	}
	switch name {
	case "kube-apiserver":
		os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
	case "kube-controller-manager":
		os.Exit(cli.Run(kcm.NewControllerManagerCommand()))
	case "etcd":
		etcdmain.Main(args)
	default:
		fmt.Fprintf(os.Stderr, "k8sbins: unknown component %q\n", name)
		os.Exit(2)
	}
}
