// Command harness runs the local-cluster environment used by the end-to-end tests:
//
//	harness up --dir _output/local --bin _output/fixtures/bin   (run inside `unshare -Urnm`, see hack/local-up.sh)
//	harness wait-condition --kubeconfig F --resource clusters.v1alpha1.cluster.karmada.io --name member1 --condition Ready
//	harness get --kubeconfig F --resource pods [-n ns] [--name n]
//	harness dump --kubeconfig F                                  (pods/deployments/statefulsets status, for test logs)
//
// It is test infrastructure only (see docs/local-clusters.md).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "up":
		err = cmdUp(os.Args[2:])
	case "wait-condition":
		err = cmdWaitCondition(os.Args[2:])
	case "get":
		err = cmdGet(os.Args[2:])
	case "apply":
		err = cmdApply(os.Args[2:])
	case "delete":
		err = cmdDelete(os.Args[2:])
	case "dump":
		err = cmdDump(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "harness %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: harness up|wait-condition|get|apply|delete|dump [flags]")
	os.Exit(2)
}
