#!/usr/bin/env bash
# Parity of describe (issue 22): ours and upstream karmadactl v1.18.2 on the same objects of the
# shared environment (CTest fixture karmada_ours): Karmada's own kinds (Cluster, PropagationPolicy,
# ResourceBinding, Work) through kubectl's generic describer, the kinds with a describer of their
# own (Namespace, ResourceQuota, ConfigMap, Secret, ServiceAccount, Deployment with its
# ReplicaSets, Pod, ReplicaSet, StatefulSet, DaemonSet with the pods they control, Job, CronJob,
# Service with its EndpointSlices, PersistentVolumeClaim with the pods using it, Ingress with its
# backends' endpoints, Node when member1 has any; the workloads also in member1, whose pods stay
# Pending), name prefixes, selectors, -f, errors, member1 through Karmada's proxy, and member1 and
# member2 at once. Every differing line is reported. Event ages are compared as AGE (the two tools
# run a second apart). Deliberate differences, checked on their own: a service-account token
# Secret shows its size, never the token (kubectl prints it); --cluster takes several members
# (upstream: one), each description then starting with a "Cluster:" line.
# Usage: karmadactl_describe_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test describe-parity
UPSTREAM=$BIN/karmadactl
e2e_need_joined member1 member2
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
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
YAML
inns "$KCTL" apply -f "$OUT/objects.yaml" --kubeconfig "$KC" >/dev/null || fail "apply the objects"

step "workloads with a describer of their own, propagated to member1 (whose pods stay Pending: no kubelet, no scheduler)"
cat >"$OUT/workloads.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: web-pod, namespace: $NS, labels: {app: pod}, annotations: {note: bare}}
spec:
  serviceAccountName: web
  automountServiceAccountToken: false
  nodeSelector: {disk: ssd}
  tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
  readinessGates: [{conditionType: example.com/ready}]
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  initContainers: [{name: init, image: busybox, command: [sh, -c, "true"]}]
  containers:
  - name: app
    image: nginx:1.25
    ports: [{containerPort: 8080, name: http}]
    resources: {limits: {cpu: 200m, memory: 64Mi}, requests: {cpu: 200m, memory: 64Mi}}
    env:
    - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}
    - {name: MEM, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
    volumeMounts: [{name: info, mountPath: /etc/info}, {name: all, mountPath: /etc/all}]
  volumes:
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  - name: all
    projected:
      sources:
      - configMap: {name: web-config}
      - secret: {name: web-secret, optional: true}
      - downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}
      - serviceAccountToken: {path: token, expirationSeconds: 3600}
  - {name: claim, persistentVolumeClaim: {claimName: data, readOnly: true}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: $NS, labels: {app: pod}}
spec: {accessModes: [ReadWriteOnce], storageClassName: fast, volumeMode: Filesystem, resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-rs, namespace: $NS, labels: {app: rs}}
spec:
  replicas: 2
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web-ss, namespace: $NS}
spec:
  replicas: 1
  serviceName: web-svc
  selector: {matchLabels: {app: ss}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
  template:
    metadata: {labels: {app: ss}}
    spec: {containers: [{name: web, image: nginx:1.25, volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
  - metadata: {name: data, labels: {tier: db}, annotations: {a: b}}
    spec: {accessModes: [ReadWriteOnce], storageClassName: fast, resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: web-ds, namespace: $NS}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec: {nodeSelector: {disk: ssd}, containers: [{name: agent, image: busybox, args: [sleep, "3600"]}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: web-job, namespace: $NS}
spec:
  parallelism: 1
  completions: 2
  backoffLimit: 3
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 100
  template:
    spec: {restartPolicy: Never, containers: [{name: work, image: busybox, command: [sh, -c, "exit 0"]}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: web-indexed, namespace: $NS}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  suspend: true
  template:
    spec: {restartPolicy: Never, containers: [{name: work, image: busybox}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: web-cron, namespace: $NS}
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 30
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: OnFailure, containers: [{name: tick, image: busybox, args: [date]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-svc, namespace: $NS, labels: {app: web}}
spec:
  selector: {app: rs}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: metrics, port: 9090, targetPort: metrics, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: web-external, namespace: $NS}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web-ingress, namespace: $NS, annotations: {note: ingress}}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web-svc, port: {number: 80}}}
  tls: [{hosts: [a.example.com, b.example.com], secretName: web-tls}, {hosts: [c.example.com]}]
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web-svc, port: {name: metrics}}}}
      - {path: /missing, pathType: Exact, backend: {service: {name: no-such-service, port: {number: 8080}}}}
  - http:
      paths:
      - {path: /static, pathType: ImplementationSpecific, backend: {resource: {apiGroup: example.com, kind: Bucket, name: assets}}}
---
apiVersion: v1
kind: Service
metadata: {name: web-manual, namespace: $NS}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-manual-1, namespace: $NS, labels: {kubernetes.io/service-name: web-manual}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- {addresses: [10.9.0.1]}
- {addresses: [10.9.0.2], conditions: {ready: false}}
- {addresses: [10.9.0.3], conditions: {ready: true}}
- {addresses: [10.9.0.4]}
- {addresses: [10.9.0.5]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web-default, namespace: $NS}
spec: {defaultBackend: {service: {name: web-manual, port: {name: http}}}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: workloads, namespace: $NS}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: Pod, name: web-pod}
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-rs}
  - {apiVersion: apps/v1, kind: StatefulSet, name: web-ss}
  - {apiVersion: apps/v1, kind: DaemonSet, name: web-ds}
  - {apiVersion: batch/v1, kind: Job, name: web-job}
  - {apiVersion: batch/v1, kind: CronJob, name: web-cron}
  - {apiVersion: v1, kind: Service, name: web-svc}
  - {apiVersion: v1, kind: PersistentVolumeClaim, name: data}
  - {apiVersion: networking.k8s.io/v1, kind: Ingress, name: web-ingress}
  placement: {clusterAffinity: {clusterNames: [member1]}}
YAML
inns "$KCTL" apply -f "$OUT/workloads.yaml" --kubeconfig "$KC" >/dev/null || fail "apply the workloads"
# The binding is scheduled and its Work made before the comparison (their events with it).
for _ in $(seq 60); do
  inns "$KCTL" get works -A --kubeconfig "$KC" -o name 2>/dev/null | holds "web-" && break
  sleep 1
done
# The web Deployment is in member2 too, with its ReplicaSet's events.
for _ in $(seq 60); do
  inns "$BIN/harness" get --kubeconfig "$K/member2.kubeconfig" --resource replicasets.v1.apps -n $NS 2>/dev/null |
    holds "web-" && break
  sleep 1
done
# member1's controllers have made the ReplicaSet's and the Job's pods (Pending) before comparing.
for _ in $(seq 60); do
  pods=$(inns "$BIN/harness" get --kubeconfig "$K/member1.kubeconfig" --resource pods.v1 -n $NS 2>/dev/null || true)
  holds "web-rs-" <<<"$pods" && holds "web-job-" <<<"$pods" && holds "web-pod" <<<"$pods" && break
  sleep 1
done

PARITY_STDERR=1
# Karmada's controllers keep adding events to the new bindings for a while (seen in CI: a
# binding's SyncWorkSucceed arrived between the two tools' runs).
PARITY_RETRIES=3
# Durations (event ages and others) written as AGE, the two tools running a second apart; an
# Events table's columns, whose widths follow those ages, are compared with their gaps squeezed.
parity_normalize() {
  sed -E 's/(^|[ (])[0-9]+(s|m|h|d|y)([0-9]+(s|m|h|d))?($|[ )])/\1AGE\5/g' "$1" |
    awk '/^Events:/ { events = 1; print; next } /^[^ ]/ { events = 0 } events { gsub(/  +/, "  ") } { print }'
}

step "describe in Karmada"
parity_compare namespace describe namespace $NS
parity_compare config-map describe configmap web-config -n $NS
parity_compare config-maps-by-label describe cm -l app=web -n $NS
parity_compare secret describe secret web-secret -n $NS
parity_compare service-account describe sa web -n $NS
parity_compare policy describe propagationpolicy web -n $NS
parity_compare bindings describe resourcebindings -n $NS
parity_compare works describe works -A
parity_compare cluster describe cluster member1
parity_compare clusters describe clusters
parity_compare prefix describe clusters mem
parity_compare slash describe cluster/member1 --show-events=false
parity_compare crd describe crd propagationpolicies.policy.karmada.io
parity_compare quota describe quota pods-quota -n $NS
parity_compare deployment describe deployment web -n $NS
parity_compare deployment-rich describe deploy rich -n $NS
parity_compare deployments-by-label describe deployments.apps -l app=web -n $NS
parity_compare pod describe pod web-pod -n $NS
parity_compare replica-set describe rs web-rs -n $NS
parity_compare stateful-set describe statefulset web-ss -n $NS
parity_compare daemon-set describe ds web-ds -n $NS
parity_compare jobs describe jobs -n $NS
parity_compare cron-job describe cronjob web-cron -n $NS
parity_compare services describe svc -n $NS
parity_compare claim describe pvc data -n $NS
parity_compare ingresses describe ingress -n $NS
python3 -c 'import sys; docs = open(sys.argv[1]).read().split("---\n"); print("---\n".join(d for d in docs if "kind: PropagationPolicy" not in d))' \
  "$OUT/objects.yaml" >"$OUT/described.yaml"
parity_compare from-file describe -f "$OUT/described.yaml"
parity_compare missing describe cluster no-such-cluster
parity_compare none-selected describe cm -l app=none -n $NS
parity_compare no-type describe no-such-type x

step "describe in member1 through Karmada's proxy"
parity_compare member-namespace describe ns default -s members -C member1
parity_compare member-service-accounts describe sa -n default --operation-scope members --cluster member1
parity_compare member-config-map describe cm kube-root-ca.crt -n default -s members -C member1
parity_compare member-leases describe leases -n kube-system -s members -C member1
parity_compare member-deployment describe deployment/web -n $NS -s members -C member1
parity_compare member-pods describe pods -n $NS -s members -C member1
parity_compare member-replica-sets describe rs -n $NS -s members -C member1
parity_compare member-stateful-set describe sts web-ss -n $NS -s members -C member1
parity_compare member-daemon-set describe daemonset web-ds -n $NS -s members -C member1
parity_compare member-job describe job web-job -n $NS -s members -C member1
parity_compare member-cron-job describe cj web-cron -n $NS -s members -C member1
parity_compare member-service describe service web-svc -n $NS -s members -C member1
parity_compare member-claim describe persistentvolumeclaims -n $NS -s members -C member1
parity_compare member-ingress describe ing web-ingress -n $NS -s members -C member1
# member1 has no kubelet: it has Node objects only when something made them.
if inns "$BIN/harness" get --kubeconfig "$K/member1.kubeconfig" --resource nodes.v1 2>/dev/null | holds "name:"; then
  parity_compare member-nodes describe nodes -s members -C member1
else
  echo "skip: member-nodes (member1 has no Node objects)"
fi

step "member1 and member2 at once (ours: --cluster takes several): each description names its cluster and is upstream's for that member"
inns "$KCTL" describe deployment web -n $NS -s members -C member1,member2 --kubeconfig "$KC" >"$OUT/two-members.ours" ||
  fail "describe in two members"
for m in member1 member2; do
  inns "$UPSTREAM" describe deployment web -n $NS -s members -C $m --kubeconfig "$KC" >"$OUT/$m.upstream" ||
    fail "upstream describe in $m"
  [[ $(grep -c "^Cluster: *$m\$" "$OUT/two-members.ours") == 1 ]] || fail "no Cluster: line for $m"
done
name_line=$(grep -m1 '^Name:' "$OUT/two-members.ours")
[[ $(head -1 "$OUT/two-members.ours") == "$(printf '%-*s%s' $((${#name_line} - 3)) Cluster: member1)" ]] ||
  fail "the Cluster: line is not aligned with Name: ($(head -1 "$OUT/two-members.ours"))"
{ cat "$OUT/member1.upstream"; printf '\n\n'; cat "$OUT/member2.upstream"; } >"$OUT/two-members.expected"
grep -v '^Cluster: ' "$OUT/two-members.ours" >"$OUT/two-members.stripped"
if ! diff -u <(parity_normalize "$OUT/two-members.expected") <(parity_normalize "$OUT/two-members.stripped"); then
  echo "DIFF two-members: (- upstream's two descriptions, + ours without its Cluster: lines)"
  failed=1
else
  echo "same: two-members ($(wc -l <"$OUT/two-members.ours") lines)"
fi
holds -F "Events:" <"$OUT/member2.upstream" || fail "member2's Deployment has no events section"

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
