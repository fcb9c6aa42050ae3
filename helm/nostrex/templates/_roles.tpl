{{/* The environment and Services that differ between roles. */}}

{{- define "nostrex.gatewayEnv" -}}
- name: NOSTREX_PORT
  value: {{ .Values.gateway.port | int64 | quote }}
- name: NOSTREX_QUERY_THREADS
  value: {{ .Values.gateway.queryThreads | int64 | quote }}
- name: NOSTREX_WARMUP_SECONDS
  value: {{ .Values.gateway.warmupSeconds | int64 | quote }}
- name: NOSTREX_GATEWAYS
  value: {{ .Values.gateway.limitShares | int64 | quote }}
{{- with .Values.gateway.clientIpHeader }}
- name: NOSTREX_CLIENT_IP_HEADER
  value: {{ . | quote }}
{{- end }}
{{ include "nostrex.databaseEnv" . }}
{{- end }}

{{- define "nostrex.adminPortEnv" -}}
- name: NOSTREX_ADMIN_PORT
  value: {{ .adminPort | int64 | quote }}
{{- end }}

{{/* A headless Service for a role's admin port, so that a ServiceMonitor finds its pods. */}}
{{- define "nostrex.metricsService" -}}
{{- $monitor := .root.Values.metrics.monitor }}
{{- if and $monitor.enabled (eq $monitor.kind "ServiceMonitor") }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "nostrex.componentName" . }}
  labels:
    {{- include "nostrex.labels" . | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "nostrex.selectorLabels" . | nindent 4 }}
  ports:
    - name: admin
      port: {{ .port }}
      targetPort: admin
      protocol: TCP
{{- end }}
{{- end }}

{{- define "nostrex.matcherEnv" -}}
{{ include "nostrex.adminPortEnv" .Values.matcher }}
- name: NOSTREX_STREAM_THREADS
  value: {{ .Values.matcher.streamThreads | int64 | quote }}
- name: NOSTREX_STANDBY_REPLICAS
  value: {{ .Values.matcher.standbyReplicas | int64 | quote }}
{{- end }}

{{- define "nostrex.archiverEnv" -}}
{{ include "nostrex.adminPortEnv" .Values.archiver }}
{{ include "nostrex.databaseEnv" . }}
{{- end }}
