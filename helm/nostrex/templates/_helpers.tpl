{{/* Names, labels and small shared pieces. */}}

{{- define "nostrex.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* release-chart, or the release name alone when it already holds the chart name. */}}
{{- define "nostrex.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The name of one component's resources: fullname-component. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "nostrex.componentName" -}}
{{- printf "%s-%s" (include "nostrex.fullname" .root | trunc 52 | trimSuffix "-") .component }}
{{- end }}

{{- define "nostrex.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "nostrex.labels" -}}
helm.sh/chart: {{ include "nostrex.chart" .root }}
{{ include "nostrex.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: nostrex
{{- end }}

{{/* Labels that select one component's pods. */}}
{{- define "nostrex.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nostrex.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "nostrex.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "nostrex.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nostrex.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "nostrex.configMapName" -}}
{{- include "nostrex.fullname" . }}
{{- end }}

{{/* The URL `helm test` checks, and NOTES print. */}}
{{- define "nostrex.gatewayUrl" -}}
{{- printf "ws://%s:%v/" (include "nostrex.componentName" (dict "root" . "component" "gateway")) .Values.gateway.service.port }}
{{- end }}

{{/*
The topics of the Kafka contract with their configs (io.nostrex.contract.Topics.all; the deploy
module's tests hold the two equal).
*/}}
{{- define "nostrex.topics" -}}
nostr.ingress:
  retention.ms: "3600000"
nostr.events:
  retention.ms: "-1"
nostr.stored:
  retention.ms: "3600000"
nostr.verdicts:
  retention.ms: "3600000"
nostr.subscriptions:
  cleanup.policy: compact
  delete.retention.ms: "3600000"
  segment.ms: "3600000"
nostr.deliveries:
  retention.ms: "3600000"
nostr.policy:
  cleanup.policy: compact
nostr.deadletter:
  retention.ms: "2419200000"
{{- end }}

{{/* Whether the topics Job runs: on, and Strimzi not in charge. */}}
{{- define "nostrex.topicsJob" -}}
{{- if and .Values.topics.job.enabled (not .Values.strimzi.enabled) }}true{{ end }}
{{- end }}
