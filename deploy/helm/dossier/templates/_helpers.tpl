{{/*
Names, labels and shared fragments. Component templates pass a dict:
  root: the top-level context ($), name: the component (gateway, identity, …), v: its values.
*/}}

{{- define "dossier.name" -}}
{{- default .Chart.Name .Values.global.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dossier.fullname" -}}
{{- if .Values.global.fullnameOverride -}}
{{- .Values.global.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.global.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "dossier.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name of one component: <fullname>-<component>. */}}
{{- define "dossier.componentName" -}}
{{- printf "%s-%s" (include "dossier.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels; with a component name when given. */}}
{{- define "dossier.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dossier.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}
{{- end -}}

{{- define "dossier.labels" -}}
helm.sh/chart: {{ include "dossier.chart" .root }}
{{ include "dossier.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: dossier
{{- with .root.Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "dossier.image" -}}
{{- $image := .Values.global.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "dossier.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dossier.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* True ("true") when the chart renders its own Secret. */}}
{{- define "dossier.createSecret" -}}
{{- if and .Values.secrets.create (not .Values.secrets.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "dossier.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if .Values.secrets.create -}}
{{- include "dossier.fullname" . -}}
{{- else -}}
{{- fail "secrets: set secrets.existingSecret, or secrets.create=true with the keys" -}}
{{- end -}}
{{- end -}}

{{- define "dossier.kafkaBootstrapServers" -}}
{{- required "global.kafka.bootstrapServers is required: the external Kafka cluster's host:port list" .Values.global.kafka.bootstrapServers -}}
{{- end -}}

{{/*
Values of one consumer: consumerDefaults deep-merged with its own block
(top-level `identity:` … or `extraConsumers.<name>`), with derived defaults filled in.
Returned as YAML; callers use `fromYaml`.
*/}}
{{- define "dossier.consumer.values" -}}
{{- $root := .root -}}
{{- $own := dict -}}
{{- if hasKey $root.Values.extraConsumers .name -}}
{{- $own = index $root.Values.extraConsumers .name | default dict -}}
{{- else -}}
{{- $own = index $root.Values .name | default dict -}}
{{- end -}}
{{- $v := mustMergeOverwrite (deepCopy $root.Values.consumerDefaults) (deepCopy $own) -}}
{{- if not $v.command -}}
{{- $_ := set $v "command" (list "python" "-m" (printf "dossier.%s" .name)) -}}
{{- end -}}
{{- if not $v.consumerGroup -}}
{{- $_ := set $v "consumerGroup" (printf "dossier-%s" .name) -}}
{{- end -}}
{{- if not $v.metricsPort -}}
{{- fail (printf "%s.metricsPort is required (consumers use 9101 and up)" .name) -}}
{{- end -}}
{{- toYaml $v -}}
{{- end -}}

{{/* Pod annotations that roll the pods when shared config or the chart's Secret changes. */}}
{{- define "dossier.checksumAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if include "dossier.createSecret" . }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}

{{/* One secretKeyRef env var: dict root, env, key, optional. */}}
{{- define "dossier.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "dossier.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* Environment shared by every Dossier container: dict root, name, v. */}}
{{- define "dossier.env" -}}
{{- $root := .root -}}
{{- $v := .v -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: OTEL_SERVICE_NAME
  value: {{ printf "dossier-%s" .name | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.namespace=dossier,k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME)%s" (ternary (printf ",%s" $root.Values.global.otel.resourceAttributes) "" (ne $root.Values.global.otel.resourceAttributes "")) | quote }}
- name: DOSSIER_MONGO_URL
  valueFrom:
    secretKeyRef:
      {{- if $root.Values.global.mongodb.existingSecret }}
      name: {{ $root.Values.global.mongodb.existingSecret }}
      key: {{ $root.Values.global.mongodb.existingSecretKey }}
      {{- else }}
      name: {{ include "dossier.secretName" $root }}
      key: mongo-url
      {{- end }}
{{- if $v.usesCvKey }}
{{ include "dossier.secretEnv" (dict "root" $root "env" "DOSSIER_CV_MASTER_KEY" "key" "cv-master-key") }}
{{- end }}
{{- if $v.usesSources }}
{{ include "dossier.secretEnv" (dict "root" $root "env" "DOSSIER_GITHUB_TOKEN" "key" "github-token" "optional" true) }}
{{ include "dossier.secretEnv" (dict "root" $root "env" "DOSSIER_BRAVE_API_KEY" "key" "brave-api-key" "optional" true) }}
{{ include "dossier.secretEnv" (dict "root" $root "env" "DOSSIER_COMPANIES_HOUSE_API_KEY" "key" "companies-house-api-key" "optional" true) }}
- name: DOSSIER_GITHUB_API_URL
  value: {{ $root.Values.global.sources.githubApiUrl | quote }}
- name: DOSSIER_ORCID_API_URL
  value: {{ $root.Values.global.sources.orcidApiUrl | quote }}
{{- with $root.Values.global.sources.searxngUrl }}
- name: DOSSIER_SEARXNG_URL
  value: {{ . | quote }}
{{- end }}
{{- with $root.Values.global.sources.opensanctionsUrl }}
- name: DOSSIER_OPENSANCTIONS_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if $v.usesLlm }}
{{ include "dossier.secretEnv" (dict "root" $root "env" "DOSSIER_LLM_API_KEY" "key" "llm-api-key" "optional" true) }}
{{- with $v.llmBaseUrl }}
- name: DOSSIER_LLM_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- with $v.llmModel }}
- name: DOSSIER_LLM_MODEL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- range $key, $value := $v.config }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- with $root.Values.global.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Topology spread constraints with this component's selector filled in: dict root, name, v. */}}
{{- define "dossier.topologySpread" -}}
{{- $selector := include "dossier.selectorLabels" (dict "root" .root "name" .name) | fromYaml -}}
{{- $out := list -}}
{{- range .v.topologySpreadConstraints -}}
{{- $c := deepCopy . -}}
{{- if not (hasKey $c "labelSelector") -}}
{{- $_ := set $c "labelSelector" (dict "matchLabels" $selector) -}}
{{- end -}}
{{- $out = append $out $c -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}
