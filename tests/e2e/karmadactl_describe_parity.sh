#!/usr/bin/env bash
# Parity of describe (issue 22): ours and upstream karmadactl v1.18.2 on the same objects of the
# shared environment (CTest fixture karmada_ours): Karmada's own kinds (Cluster, PropagationPolicy,
# ResourceBinding, Work) through kubectl's generic describer, the kinds with a describer of their
# own that are built (Namespace, ResourceQuota, ConfigMap, Secret, ServiceAccount, Deployment
# with its ReplicaSets in member1), name prefixes, selectors, -f,
# errors, and member1 through Karmada's proxy. Every differing line is reported. Event ages are
# compared as AGE (the two tools run a second apart). Deliberate difference, checked on its own: a
# service-account token Secret shows its size, never the token (kubectl prints it).
# Usage: karmadactl_describe_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test describe-parity
UPSTREAM=$BIN/karmadactl
e2e_need_joined member1
NS=describe-parity

step "objects to describe: a namespace with a quota, a config map, a secret, a service account, a deployment propagated to member1"
cat >"$OUT/objects.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $NS, labels: {team: web, tier: front}, annotations: {note: "describe parity"}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: pods-quota, namespace: $NS}
spec: {hard: {pods: "10"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: $NS, labels: {app: web}}
data: {index.html: "<h1>hello</h1>\nsecond line", port: "8080"}
binaryData: {blob: aGVsbG8gd29ybGQ=}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: $NS}
type: Opaque
data: {password: c2VjcmV0LXZhbHVl, user: YWRtaW4=}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: $NS}
imagePullSecrets: [{name: registry-a}, {name: registry-b}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: rich, namespace: $NS}
spec:
  replicas: 3
  minReadySeconds: 5
  selector:
    matchLabels: {app: rich}
    matchExpressions: [{key: tier, operator: In, values: [front, back]}, {key: legacy, operator: DoesNotExist}]
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: rich, tier: front}, annotations: {checksum: abc}}
    spec:
      serviceAccountName: web
      priorityClassName: high
      nodeSelector: {disk: ssd, zone: a}
      tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule},
                    {operator: Exists}, {key: slow, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule,
                                   labelSelector: {matchLabels: {app: rich}}}]
      initContainers: [{name: init, image: busybox, command: [sh, -c, "echo one\necho two"]}]
      containers:
      - name: app
        image: nginx:1.25
        args: [--port, "8080"]
        ports: [{containerPort: 8080, name: http}, {containerPort: 9090, protocol: UDP, hostPort: 9090}]
        resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m}}
        livenessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 3}
        readinessProbe: {tcpSocket: {port: http}}
        startupProbe: {exec: {command: [cat, /tmp/ready]}}
        envFrom: [{configMapRef: {name: web-config}}, {secretRef: {name: web-secret, optional: true}, prefix: S_}]
        env:
        - {name: PLAIN, value: "one"}
        - {name: MULTI, value: "first\nsecond"}
        - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: PASSWORD, valueFrom: {secretKeyRef: {name: web-secret, key: password}}}
        - {name: PORT, valueFrom: {configMapKeyRef: {name: web-config, key: port, optional: true}}}
        volumeMounts: [{name: data, mountPath: /data}, {name: config, mountPath: /etc/app, readOnly: true},
                       {name: secret, mountPath: /etc/secret, subPath: password}]
      - {name: sidecar, image: busybox}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: cache, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
      - {name: config, configMap: {name: web-config}}
      - {name: secret, secret: {secretName: web-secret, optional: false}}
      - {name: host, hostPath: {path: /var/log, type: Directory}}
      - {name: claim, persistentVolumeClaim: {claimName: data, readOnly: true}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: $NS}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
YAML
inns "$KCTL" apply -f "$OUT/objects.yaml" --kubeconfig "$KC" >/dev/null || fail "apply the objects"
# The binding is scheduled and its Work made before the comparison (their events with it).
for _ in $(seq 60); do
  inns "$KCTL" get works -A --kubeconfig "$KC" -o name 2>/dev/null | holds "web-" && break
  sleep 1
done

failed=0
# The two outputs with event ages (and other durations) written as AGE.
normalize() { sed -E 's/(^|[ (])[0-9]+(s|m|h|d|y)([0-9]+(s|m|h|d))?($|[ )])/\1AGE\5/g' "$1"; }
# compare NAME ARGS...: both tools' stdout, stderr and exit codes for ARGS must be equal.
compare() {
  local name=$1 ours_rc=0 theirs_rc=0
  shift
  inns "$KCTL" "$@" --kubeconfig "$KC" >"$OUT/$name.ours" 2>"$OUT/$name.ours.err" || ours_rc=$?
  inns "$UPSTREAM" "$@" --kubeconfig "$KC" >"$OUT/$name.upstream" 2>"$OUT/$name.upstream.err" || theirs_rc=$?
  if [[ $ours_rc != "$theirs_rc" ]]; then
    echo "DIFF $name ($*): exit $ours_rc, upstream $theirs_rc"; cat "$OUT/$name.ours.err" "$OUT/$name.upstream.err"
    failed=1
  elif ! diff -u <(normalize "$OUT/$name.upstream") <(normalize "$OUT/$name.ours") >"$OUT/$name.diff" ||
       ! diff -u "$OUT/$name.upstream.err" "$OUT/$name.ours.err" >>"$OUT/$name.diff"; then
    echo "DIFF $name ($*): (- upstream, + ours)"; cat "$OUT/$name.diff"
    failed=1
  else
    echo "same: $name ($(wc -l <"$OUT/$name.ours") lines, exit $ours_rc)"
  fi
}

step "describe in Karmada"
compare namespace describe namespace $NS
compare config-map describe configmap web-config -n $NS
compare config-maps-by-label describe cm -l app=web -n $NS
compare secret describe secret web-secret -n $NS
compare service-account describe sa web -n $NS
compare policy describe propagationpolicy web -n $NS
compare bindings describe resourcebindings -n $NS
compare works describe works -A
compare cluster describe cluster member1
compare clusters describe clusters
compare prefix describe clusters mem
compare slash describe cluster/member1 --show-events=false
compare crd describe crd propagationpolicies.policy.karmada.io
compare quota describe quota pods-quota -n $NS
compare deployment describe deployment web -n $NS
compare deployment-rich describe deploy rich -n $NS
compare deployments-by-label describe deployments.apps -l app=web -n $NS
python3 -c 'import sys; docs = open(sys.argv[1]).read().split("---\n"); print("---\n".join(d for d in docs if "kind: PropagationPolicy" not in d))' \
  "$OUT/objects.yaml" >"$OUT/described.yaml"
compare from-file describe -f "$OUT/described.yaml"
compare missing describe cluster no-such-cluster
compare none-selected describe cm -l app=none -n $NS
compare no-type describe no-such-type x

step "describe in member1 through Karmada's proxy"
compare member-namespace describe ns default -s members -C member1
compare member-service-accounts describe sa -n default --operation-scope members --cluster member1
compare member-config-map describe cm kube-root-ca.crt -n default -s members -C member1
compare member-leases describe leases -n kube-system -s members -C member1
compare member-deployment describe deployment/web -n $NS -s members -C member1

step "a service-account token Secret: ours shows the token's size, never the token"
cat >"$OUT/token.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata: {name: default-token, namespace: default, annotations: {kubernetes.io/service-account.name: default}}
type: kubernetes.io/service-account-token
YAML
inns "$BIN/harness" apply --kubeconfig "$K/member1.kubeconfig" -f "$OUT/token.yaml" >/dev/null || fail "token secret on member1"
token=""
for _ in $(seq 30); do
  token=$(inns "$BIN/harness" get --kubeconfig "$K/member1.kubeconfig" --resource secrets.v1 -n default \
    --name default-token --field data.token 2>/dev/null | base64 -d 2>/dev/null) && [[ -n $token ]] && break
  sleep 1
done
[[ -n $token ]] || fail "the token controller did not fill default-token"
inns "$KCTL" describe secret default-token -n default -s members -C member1 --kubeconfig "$KC" >"$OUT/token.ours" ||
  fail "describe the token secret"
holds -F "token:" <"$OUT/token.ours" || fail "the token's line is missing"
if holds -F "$token" <"$OUT/token.ours"; then fail "describe printed a service-account token"; fi
holds -E "^token: +${#token} bytes$" <"$OUT/token.ours" || fail "the token's size is not shown: $(cat "$OUT/token.ours")"

((failed == 0)) || fail "describe differs from upstream"
echo "PASS"
