#!/usr/bin/env bash
# The local environment itself: four clusters, Ready nodes, and the process kubelet running a Deployment's pod
# with a readiness probe, a Secret volume, $(VAR) expansion, and a Service reachable by name and ClusterIP.
source "$(dirname "$0")/lib.sh"
e2e_require_fixtures
e2e_env_up smoke
K=$LOCALENV_DIR

for c in host member1 member2 member3; do
  step "cluster $c /readyz"
  inns "$BIN/harness" get --kubeconfig "$K/$c.kubeconfig" --resource namespaces.v1 --name kube-system >/dev/null || fail "$c not reachable"
done
for c in host member3; do
  inns "$BIN/harness" wait-condition --kubeconfig "$K/$c.kubeconfig" --resource nodes.v1 --name "$c-control-plane" --condition Ready --timeout 60s
done

step "deploy an etcd pod (image mapped to the local etcd binary) behind a Service"
cat >"$E2E_WORK/app.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: demo, namespace: default}
stringData: {greeting: hello}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec:
      containers:
      - name: etcd
        image: registry.k8s.io/etcd:3.6.6-0
        command: [/usr/local/bin/etcd]
        args: ["--name=$(POD_NAME)", "--data-dir=/var/lib/demo", "--listen-client-urls=http://$(POD_IP):2379",
               "--advertise-client-urls=http://$(POD_IP):2379", "--listen-peer-urls=http://$(POD_IP):2380",
               "--initial-advertise-peer-urls=http://$(POD_IP):2380", "--initial-cluster=$(POD_NAME)=http://$(POD_IP):2380",
               "--unsafe-no-fsync", "--log-outputs=stderr", "--listen-metrics-urls=http://$(POD_IP):2381"]
        env:
        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        ports: [{name: client, containerPort: 2379}]
        readinessProbe: {httpGet: {path: /readyz, port: 2381}, periodSeconds: 1}
        volumeMounts:
        - {name: data, mountPath: /var/lib/demo}
        - {name: secret, mountPath: /etc/demo}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: secret, secret: {secretName: demo}}
---
apiVersion: v1
kind: Service
metadata: {name: demo, namespace: default}
spec:
  selector: {app: demo}
  ports: [{name: client, port: 80, targetPort: client}]
YAML
inns "$BIN/harness" apply --kubeconfig "$K/host.kubeconfig" -f "$E2E_WORK/app.yaml"
inns "$BIN/harness" wait-condition --kubeconfig "$K/host.kubeconfig" --resource deployments.v1.apps -n default --name demo --condition Available --timeout 120s
step "service by name and ClusterIP"
for i in $(seq 1 20); do
  if out=$(inns curl -sf --max-time 2 http://demo.default.svc.cluster.local/health 2>/dev/null); then break; fi
  sleep 1
done
echo "$out" | holds '"health":"true"' || fail "service demo.default.svc.cluster.local did not answer /health (got: ${out:-nothing})"
ls "$K"/pods/host/default_demo-*/volumes/secret/greeting >/dev/null || fail "secret volume not materialised"
step "pod deletion stops the process"
inns "$BIN/harness" delete --kubeconfig "$K/host.kubeconfig" --resource deployments.v1.apps -n default --name demo
for i in $(seq 1 30); do
  n=$(inns "$BIN/harness" get --kubeconfig "$K/host.kubeconfig" --resource pods.v1 -n default | grep -c 'name: demo-' || true)
  [[ $n == 0 ]] && break
  sleep 1
done
[[ $n == 0 ]] || fail "demo pods not gone after deployment deletion"
echo "PASS"
