{{/* Names and labels. */}}
{{- define "hotline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotline.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hotline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "hotline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hotline
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "api"). */}}
{{- define "hotline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hotline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hotline.componentLabels" -}}
{{ include "hotline.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hotline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hotline.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "hotline.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "hotline.mediaImage" -}}
{{- printf "%s:%s" .Values.mediaImage.repository (default .Chart.AppVersion .Values.mediaImage.tag) -}}
{{- end -}}

{{- define "hotline.secretName" -}}
{{- include "hotline.fullname" . -}}
{{- end -}}

{{- define "hotline.routingUrl" -}}
{{- printf "http://%s-routing:%d" (include "hotline.fullname" .) (int .Values.routing.port) -}}
{{- end -}}

{{/*
Placeholder secrets, as tenants/settings.py's PLACEHOLDER_SECRETS (a test keeps them equal).
"hotline.isPlaceholder" (list value minLength) prints "true" for a placeholder.
*/}}
{{- define "hotline.placeholders" -}}
["", "change-me", "changeme", "secret", "dev", "placeholder"]
{{- end -}}

{{- define "hotline.isPlaceholder" -}}
{{- $value := index . 0 | toString -}}
{{- $min := index . 1 | int -}}
{{- if or (has (lower (trim $value)) (include "hotline.placeholders" . | fromJsonArray)) (lt (len $value) $min) -}}
true
{{- end -}}
{{- end -}}

{{/*
Refuse to render what the app would refuse, or what would be insecure.
*/}}
{{- define "hotline.validate" -}}
{{- $v := .Values -}}
{{- if and $v.allowPlaceholderSecrets (ne $v.env "dev") -}}
{{- fail "allowPlaceholderSecrets needs env: dev (the app refuses placeholder secrets otherwise)" -}}
{{- end -}}
{{- range $name := list "callControlSecret" "authSecretKey" "sipAuthSecret" -}}
{{- $s := index $v $name -}}
{{- if and (not $s.existingSecret) $s.value (include "hotline.isPlaceholder" (list $s.value 32)) (not $v.allowPlaceholderSecrets) -}}
{{- fail (printf "%s.value is a placeholder or shorter than 32 characters: set a real secret, leave it empty to generate one, or use %s.existingSecret (allowPlaceholderSecrets: true with env: dev renders it anyway)" $name $name) -}}
{{- end -}}
{{- end -}}
{{- if and (not $v.s3.existingSecret) $v.s3.secretAccessKey (include "hotline.isPlaceholder" (list $v.s3.secretAccessKey 1)) (not $v.allowPlaceholderSecrets) -}}
{{- fail "s3.secretAccessKey is a placeholder: set the real key or use s3.existingSecret" -}}
{{- end -}}
{{- if and $v.s3.accessKeyId (not $v.s3.secretAccessKey) (not $v.s3.existingSecret) -}}
{{- fail "s3.accessKeyId needs s3.secretAccessKey (or s3.existingSecret)" -}}
{{- end -}}
{{- range $url := list $v.database.url $v.database.migrationUrl $v.redis.url -}}
{{- if and $url (regexMatch ":(change-?me|secret|dev|placeholder|password)@" (lower $url)) (not $v.allowPlaceholderSecrets) -}}
{{- fail "a database or Redis URL carries a placeholder password: set the real URL or use existingSecret" -}}
{{- end -}}
{{- end -}}
{{- if gt (int $v.media.rtpPortMin) (int $v.media.rtpPortMax) -}}
{{- fail "media.rtpPortMin must not exceed media.rtpPortMax" -}}
{{- end -}}
{{- end -}}

{{/*
A generated secret kept across upgrades: the value set, else the one the release's Secret
already holds, else a new random one. (dict "root" $ "value" "..." "key" "...")
*/}}
{{- define "hotline.generatedSecret" -}}
{{- if .value -}}
{{- .value -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (include "hotline.secretName" .root) -}}
{{- if and $existing (hasKey ($existing.data | default dict) .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 48 -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hotline.databaseUrl" -}}
{{- default (printf "postgresql+asyncpg://hotline_app@%s-postgresql:5432/hotline" .Release.Name) .Values.database.url -}}
{{- end -}}

{{- define "hotline.redisUrl" -}}
{{- default (printf "redis://%s-redis-master:6379/0" .Release.Name) .Values.redis.url -}}
{{- end -}}

{{/* One env entry from a Secret: (dict "name" "HOTLINE_X" "secret" "s" "key" "k" "optional" false) */}}
{{- define "hotline.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* The secrets and connection settings every `hotline` container needs. */}}
{{- define "hotline.secretEnvs" -}}
{{- $v := .Values -}}
{{- $own := include "hotline.secretName" . -}}
{{- if $v.database.existingSecret }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_DATABASE_URL" "secret" $v.database.existingSecret "key" $v.database.urlKey) }}
{{- else }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_DATABASE_URL" "secret" $own "key" "database-url") }}
{{- end }}
{{- if $v.redis.existingSecret }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_REDIS_URL" "secret" $v.redis.existingSecret "key" $v.redis.urlKey) }}
{{- else }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_REDIS_URL" "secret" $own "key" "redis-url") }}
{{- end }}
{{- if $v.s3.existingSecret }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_S3_ACCESS_KEY_ID" "secret" $v.s3.existingSecret "key" $v.s3.accessKeyIdKey) }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_S3_SECRET_ACCESS_KEY" "secret" $v.s3.existingSecret "key" $v.s3.secretAccessKeyKey) }}
{{- else if $v.s3.accessKeyId }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_S3_ACCESS_KEY_ID" "secret" $own "key" "s3-access-key-id") }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_S3_SECRET_ACCESS_KEY" "secret" $own "key" "s3-secret-access-key") }}
{{- end }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_CALL_CONTROL_SECRET" "secret" (default $own $v.callControlSecret.existingSecret) "key" (ternary $v.callControlSecret.key "call-control-secret" (ne $v.callControlSecret.existingSecret ""))) }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_AUTH_SECRET_KEY" "secret" (default $own $v.authSecretKey.existingSecret) "key" (ternary $v.authSecretKey.key "auth-secret-key" (ne $v.authSecretKey.existingSecret ""))) }}
{{ include "hotline.secretEnv" (dict "name" "HOTLINE_KAMAILIO_SIP_AUTH_SECRET" "secret" (default $own $v.sipAuthSecret.existingSecret) "key" (ternary $v.sipAuthSecret.key "sip-auth-secret" (ne $v.sipAuthSecret.existingSecret ""))) }}
{{- end -}}

{{/* Plain settings of every `hotline` container. */}}
{{- define "hotline.commonEnv" -}}
{{- $v := .Values -}}
- name: HOTLINE_ENV
  value: {{ $v.env | quote }}
- name: HOTLINE_LOG_LEVEL
  value: {{ $v.logLevel | quote }}
- name: HOTLINE_VAR_DIR
  value: /var/lib/hotline
- name: HOTLINE_DATABASE_POOL_SIZE
  value: {{ $v.database.poolSize | quote }}
- name: HOTLINE_S3_ENABLED
  value: {{ $v.s3.enabled | quote }}
{{- if $v.s3.endpointUrl }}
- name: HOTLINE_S3_ENDPOINT_URL
  value: {{ $v.s3.endpointUrl | quote }}
{{- end }}
- name: HOTLINE_S3_BUCKET
  value: {{ $v.s3.bucket | quote }}
- name: HOTLINE_S3_REGION
  value: {{ $v.s3.region | quote }}
- name: HOTLINE_S3_SERVER_SIDE_ENCRYPTION
  value: {{ $v.s3.serverSideEncryption | quote }}
- name: HOTLINE_KAMAILIO_SIP_DOMAIN
  value: {{ $v.sipDomain | quote }}
- name: HOTLINE_METRICS_TENANT_LABEL_CAP
  value: {{ $v.tenantLabelCap | quote }}
{{- range $name, $value := $v.config }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{ include "hotline.secretEnvs" . }}
{{- end -}}

{{/* The media node the API and routing control (supervisor actions, callbacks). */}}
{{- define "hotline.controlNodeEnv" -}}
{{- if .Values.media.controlNodeAddress }}
- name: HOTLINE_KAMAILIO_RPC_HOST
  value: {{ .Values.media.controlNodeAddress | quote }}
- name: HOTLINE_KAMAILIO_RPC_PORT
  value: {{ .Values.media.rpcPort | quote }}
- name: HOTLINE_KAMAILIO_SIP_HOST
  value: {{ .Values.media.controlNodeAddress | quote }}
- name: HOTLINE_KAMAILIO_SIP_PORT
  value: {{ .Values.media.sipPort | quote }}
- name: HOTLINE_RTPENGINE_NG_HOST
  value: {{ .Values.media.controlNodeAddress | quote }}
- name: HOTLINE_RTPENGINE_NG_PORT
  value: {{ .Values.media.ngPort | quote }}
{{- if .Values.media.callbackGatewaySet }}
- name: HOTLINE_KAMAILIO_CALLBACK_GATEWAY_SET
  value: {{ .Values.media.callbackGatewaySet | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Probes on /healthz (liveness) and /readyz (readiness) of the "http" port. */}}
{{- define "hotline.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}
