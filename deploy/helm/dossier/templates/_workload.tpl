{{/*
Resources every component has, rendered from one place. Each takes a dict:
  root: $, name: component, v: its values, port: container port, portName: http|metrics,
  env: extra env (YAML list string, optional).
*/}}

{{- define "dossier.workload.deployment" -}}
{{- $root := .root -}}
{{- $v := .v -}}
{{- $ctx := dict "root" $root "name" .name -}}
{{- $kedaOn := dig "keda" "enabled" false $v -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
spec:
  {{- if not (or $v.autoscaling.enabled $kedaOn) }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "dossier.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      annotations:
        {{- include "dossier.checksumAnnotations" $root | nindent 8 }}
        {{- with $root.Values.global.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "dossier.labels" $ctx | nindent 8 }}
        {{- with $root.Values.global.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "dossier.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountServiceAccountToken }}
      {{- with $root.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.global.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .name }}
          image: {{ include "dossier.image" $root }}
          imagePullPolicy: {{ $root.Values.global.image.pullPolicy }}
          command:
            {{- toYaml $v.command | nindent 12 }}
          ports:
            - name: {{ .portName }}
              containerPort: {{ .port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "dossier.fullname" $root }}
            {{- with $root.Values.global.extraEnvFrom }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          env:
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- include "dossier.env" (dict "root" $root "name" .name "v" $v) | nindent 12 }}
          {{- with $v.startupProbe }}
          startupProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.livenessProbe }}
          livenessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.global.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        # readOnlyRootFilesystem: scratch space for PDF rendering and temp files
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- include "dossier.topologySpread" (dict "root" $root "name" .name "v" $v) | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "dossier.workload.service" -}}
{{- $ctx := dict "root" .root "name" .name -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
  {{- with .v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .serviceType | default "ClusterIP" }}
  selector:
    {{- include "dossier.selectorLabels" $ctx | nindent 4 }}
  ports:
    - name: {{ .portName }}
      port: {{ .servicePort | default .port }}
      targetPort: {{ .portName }}
      protocol: TCP
{{- end -}}

{{- define "dossier.workload.hpa" -}}
{{- $ctx := dict "root" .root "name" .name -}}
{{- $a := .v.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "dossier.componentName" $ctx }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
    {{- if $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ $a.targetMemoryUtilizationPercentage }}
    {{- end }}
  {{- with $a.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "dossier.workload.pdb" -}}
{{- $ctx := dict "root" .root "name" .name -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
spec:
  {{- if not (eq (toString .v.pdb.minAvailable) "") }}
  minAvailable: {{ .v.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .v.pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "dossier.selectorLabels" $ctx | nindent 6 }}
{{- end -}}

{{- define "dossier.workload.serviceMonitor" -}}
{{- $ctx := dict "root" .root "name" .name -}}
{{- $sm := .root.Values.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "dossier.selectorLabels" $ctx | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .root.Release.Namespace }}
  endpoints:
    - port: {{ .portName }}
      path: /metrics
      # The services label their own series with `service`; keep it over the target's.
      honorLabels: true
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
      {{- with $sm.relabelings }}
      relabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $sm.metricRelabelings }}
      metricRelabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
NetworkPolicy: ingress only from `ingressFrom` (a list of peers, may be empty: nothing but
the kubelet's probes) and metrics scrapers; egress only to DNS, Kafka, MongoDB and,
when allowed, HTTPS outside private ranges.
*/}}
{{- define "dossier.workload.networkPolicy" -}}
{{- $ctx := dict "root" .root "name" .name -}}
{{- $np := .root.Values.global.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "dossier.selectorLabels" $ctx | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    {{- $peers := concat (.ingressFrom | default list) ($np.metricsFrom | default list) }}
    {{- if $peers }}
    - from:
        {{- toYaml $peers | nindent 8 }}
      ports:
        - port: {{ .portName }}
          protocol: TCP
    {{- else }} []
    {{- end }}
  egress:
    - to:
        {{- toYaml $np.dns.to | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- range $dep := list $np.kafka $np.mongodb }}
    - ports:
        {{- range $dep.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- with $dep.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- if .v.networkPolicy.allowHttpsEgress }}
    - to:
        - ipBlock:
            cidr: {{ $np.https.cidr }}
            {{- with $np.https.except }}
            except:
              {{- toYaml . | nindent 14 }}
            {{- end }}
      ports:
        - port: 443
          protocol: TCP
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* KEDA ScaledObject: one kafka trigger per input topic, on this consumer group's lag. */}}
{{- define "dossier.workload.scaledObject" -}}
{{- $root := .root -}}
{{- $ctx := dict "root" .root "name" .name -}}
{{- $v := .v -}}
{{- $k := .v.keda -}}
{{- if not $v.inputTopics }}
{{- fail (printf "%s.inputTopics must list at least one topic for KEDA" .name) }}
{{- end }}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "dossier.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dossier.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "dossier.componentName" $ctx }}
  pollingInterval: {{ $k.pollingInterval }}
  cooldownPeriod: {{ $k.cooldownPeriod }}
  minReplicaCount: {{ $k.minReplicaCount }}
  maxReplicaCount: {{ $k.maxReplicaCount }}
  {{- if $k.fallbackReplicas }}
  fallback:
    failureThreshold: 3
    replicas: {{ $k.fallbackReplicas }}
  {{- end }}
  {{- with $k.behavior }}
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        {{- toYaml . | nindent 8 }}
  {{- end }}
  triggers:
    {{- range $v.inputTopics }}
    - type: kafka
      metadata:
        bootstrapServers: {{ include "dossier.kafkaBootstrapServers" $root | quote }}
        consumerGroup: {{ $v.consumerGroup | quote }}
        topic: {{ . | quote }}
        lagThreshold: {{ $k.lagThreshold | toString | quote }}
        activationLagThreshold: {{ $k.activationLagThreshold | toString | quote }}
        offsetResetPolicy: {{ $k.offsetResetPolicy | quote }}
        allowIdleConsumers: {{ $k.allowIdleConsumers | toString | quote }}
      {{- with $k.authenticationRef }}
      authenticationRef:
        name: {{ . }}
      {{- end }}
    {{- end }}
{{- end -}}
