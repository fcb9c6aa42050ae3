{{/*
The pod template of one role (gateway, validator, matcher, archiver). Call with a dict:
  root       the chart's root context
  component  the role's name, also its container argument
  values     the role's values (.Values.gateway, ...)
  portName   "http" (gateway) or "admin" (the others)
  port       the container port: NOSTREX_PORT or NOSTREX_ADMIN_PORT
  env        the role's own environment, as rendered YAML list items
  dataClaim  true when the StatefulSet's claim "data" holds NOSTREX_DATA (else an emptyDir)
*/}}
{{- define "nostrex.podTemplate" -}}
{{- $root := .root }}
{{- $v := .values -}}
metadata:
  labels:
    {{- include "nostrex.labels" . | nindent 4 }}
    {{- with merge (dict) $v.podLabels $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- include "nostrex.checksums" $root | nindent 4 }}
    {{- with merge (dict) $v.podAnnotations $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- include "nostrex.podCommon" $root | nindent 2 }}
  serviceAccountName: {{ include "nostrex.serviceAccountName" $root }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
  {{- include "nostrex.scheduling" . | trim | nindent 2 }}
  containers:
    - name: {{ .component }}
      image: {{ include "nostrex.image" $root | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args: [{{ .component | quote }}]
      ports:
        - name: {{ .portName }}
          containerPort: {{ .port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "nostrex.configMapName" $root }}
        {{- with $root.Values.kafka.existingSecret }}
        - secretRef:
            name: {{ . }}
        {{- end }}
      env:
        - name: NOSTREX_INSTANCE_ID
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: NOSTREX_DATA
          value: /var/lib/nostrex
        {{- .env | trim | nindent 8 }}
        {{- with include "nostrex.kafkaSecretEnv" $root | trim }}{{ . | nindent 8 }}{{ end }}
        {{- with include "nostrex.javaToolOptions" $v.javaToolOptions | trim }}{{ . | nindent 8 }}{{ end }}
      {{- include "nostrex.probes" (dict "port" .portName "probes" $v.probes) | trim | nindent 6 }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        {{- include "nostrex.volumeMounts" $root | nindent 8 }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- if not .dataClaim }}
    - name: data
      emptyDir: {}
    {{- end }}
    {{- with $root.Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* The sha256 of the rendered ConfigMap: a change of a setting rolls the pods. */}}
{{- define "nostrex.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}

{{/* What every pod of the chart shares: no service links, no token, pull secrets, security. */}}
{{- define "nostrex.podCommon" -}}
{{- /* Service links would add a variable per Service in the namespace (a Service "kafka" gives KAFKA_PORT=tcp://..., which the roles would pass to the Kafka client). */ -}}
enableServiceLinks: false
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/* Mounts of every container: /tmp (native libraries), NOSTREX_DATA, then the extra ones. */}}
{{- define "nostrex.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/nostrex
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* nodeSelector, tolerations (the role's, else the chart-wide ones), affinity, spread. */}}
{{- define "nostrex.scheduling" -}}
{{- $root := .root }}
{{- $v := .values }}
{{- with default $root.Values.nodeSelector $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with default $root.Values.tolerations $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with include "nostrex.affinity" . | trim }}
affinity:
  {{- . | nindent 2 }}
{{- end }}
{{- with $v.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- range . }}
  {{- $constraint := . }}
  {{- if not (hasKey . "labelSelector") }}
  {{- $constraint = merge (dict "labelSelector" (dict "matchLabels" (include "nostrex.selectorLabels" $ | fromYaml))) . }}
  {{- end }}
  - {{ toYaml $constraint | indent 4 | trim }}
  {{- end }}
{{- end }}
{{- end }}

{{/* The role's affinity, else the podAntiAffinity preset (soft, hard or none) by node. */}}
{{- define "nostrex.affinity" -}}
{{- $v := .values }}
{{- if $v.affinity }}
{{- toYaml $v.affinity }}
{{- else if eq $v.podAntiAffinity "soft" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "nostrex.selectorLabels" . | nindent 12 }}
{{- else if eq $v.podAntiAffinity "hard" -}}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include "nostrex.selectorLabels" . | nindent 10 }}
{{- end }}
{{- end }}

{{/* Startup (optional) and liveness on /health, readiness on /ready, on the role's named port. */}}
{{- define "nostrex.probes" -}}
{{- $startup := .probes.startup }}
{{- if $startup.enabled -}}
startupProbe:
  httpGet:
    path: /health
    port: {{ .port }}
  {{- toYaml (omit $startup "enabled") | nindent 2 }}
{{- end }}
livenessProbe:
  httpGet:
    path: /health
    port: {{ .port }}
  {{- toYaml .probes.liveness | nindent 2 }}
readinessProbe:
  httpGet:
    path: /ready
    port: {{ .port }}
  {{- toYaml .probes.readiness | nindent 2 }}
{{- end }}

{{/* KAFKA_* variables from one key of an existing Secret each. */}}
{{- define "nostrex.kafkaSecretEnv" -}}
{{- range $name, $ref := .Values.kafka.secretKeyRefs }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}

{{/* The plain Kafka settings: in the ConfigMap for the roles, inline for the topics Job. */}}
{{- define "nostrex.kafkaPlainSettings" -}}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.kafka.bootstrapServers | quote }}
{{- range $name, $value := .Values.kafka.config }}
{{ $name }}: {{ include "nostrex.text" $value | quote }}
{{- end }}
{{- end }}

{{/* PostgreSQL, for the gateway and the archiver. */}}
{{- define "nostrex.databaseEnv" -}}
- name: DATABASE_URL
  value: {{ .Values.database.url | quote }}
{{- $database := .Values.database }}
{{- if and $database.existingSecret $database.userKey }}
- name: DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ $database.existingSecret }}
      key: {{ $database.userKey }}
{{- else }}
- name: DATABASE_USER
  value: {{ $database.user | quote }}
{{- end }}
{{- with $database.existingSecret }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $database.passwordKey }}
{{- end }}
- name: DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | int64 | quote }}
{{- end }}

{{- define "nostrex.javaToolOptions" -}}
{{- with . }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* A value as text; whole numbers from YAML (float64 in Helm) without an exponent: 3600000, not 3.6e+06. */}}
{{- define "nostrex.text" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}
