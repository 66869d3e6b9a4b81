{{/*
Consumer components (identity, enrichment, reporter, billing, webhooks, extraConsumers.*): each
template file is one line calling these with dict root, name. Values come from
`dossier.consumer.values` (consumerDefaults merged with the component's block).
*/}}

{{- define "dossier.consumer.args" -}}
{{- $v := include "dossier.consumer.values" . | fromYaml -}}
{{- toYaml (dict "v" $v "port" (int $v.metricsPort) "portName" "metrics") -}}
{{- end -}}

{{- define "dossier.consumer.deployment" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if $a.v.enabled }}
{{- $_ := include "dossier.kafkaBootstrapServers" .root }}
{{ include "dossier.workload.deployment" (dict "root" .root "name" .name "v" $a.v "port" $a.port "portName" "metrics" "env" (printf "- name: DOSSIER_METRICS_PORT\n  value: %q\n- name: DOSSIER_CONCURRENCY\n  value: %q" (toString $a.port) (toString $a.v.concurrency))) }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.service" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled $a.v.service.enabled }}
{{ include "dossier.workload.service" (dict "root" .root "name" .name "v" $a.v "port" $a.port "portName" "metrics") }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.hpa" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled $a.v.autoscaling.enabled (not $a.v.keda.enabled) }}
{{ include "dossier.workload.hpa" (dict "root" .root "name" .name "v" $a.v) }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.pdb" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled $a.v.pdb.enabled }}
{{ include "dossier.workload.pdb" (dict "root" .root "name" .name "v" $a.v) }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.scaledObject" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled $a.v.keda.enabled }}
{{ include "dossier.workload.scaledObject" (dict "root" .root "name" .name "v" $a.v) }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.networkPolicy" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled .root.Values.global.networkPolicy.enabled }}
{{ include "dossier.workload.networkPolicy" (dict "root" .root "name" .name "v" $a.v "portName" "metrics") }}
{{- end }}
{{- end -}}

{{- define "dossier.consumer.serviceMonitor" -}}
{{- $a := include "dossier.consumer.args" . | fromYaml -}}
{{- if and $a.v.enabled $a.v.service.enabled .root.Values.serviceMonitor.enabled }}
{{ include "dossier.workload.serviceMonitor" (dict "root" .root "name" .name "portName" "metrics") }}
{{- end }}
{{- end -}}
