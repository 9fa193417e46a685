{{- define "hotline.podIP" -}}
valueFrom:
  fieldRef:
    fieldPath: status.podIP
{{- end -}}

{{- define "hotline.wsOrigins" -}}
{{- $origins := .Values.media.allowedWsOrigins -}}
{{- if and (not $origins) .Values.ingress.enabled .Values.ingress.tls.enabled -}}
{{- $origins = list (printf "https://%s" .Values.ingress.host) -}}
{{- end -}}
{{- $origins | toJson | quote -}}
{{- end -}}

{{/* The settings of every `hotline` container of the media pod. */}}
{{- define "hotline.mediaEnv" -}}
{{ include "hotline.commonEnv" . }}
- name: HOTLINE_KAMAILIO_SIP_HOST
  {{- include "hotline.podIP" . | nindent 2 }}
- name: HOTLINE_KAMAILIO_WS_HOST
  {{- include "hotline.podIP" . | nindent 2 }}
- name: HOTLINE_KAMAILIO_RPC_HOST
  {{- include "hotline.podIP" . | nindent 2 }}
- name: HOTLINE_KAMAILIO_SIP_PORT
  value: {{ .Values.media.sipPort | quote }}
- name: HOTLINE_KAMAILIO_WS_PORT
  value: {{ .Values.media.wsPort | quote }}
- name: HOTLINE_KAMAILIO_RPC_PORT
  value: {{ .Values.media.rpcPort | quote }}
- name: HOTLINE_KAMAILIO_NODE
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
- name: HOTLINE_KAMAILIO_ROUTING_URL
  value: {{ include "hotline.routingUrl" . | quote }}
- name: HOTLINE_KAMAILIO_RPC_ALLOWED_SOURCES
  value: {{ .Values.media.rpcAllowedSources | toJson | quote }}
- name: HOTLINE_KAMAILIO_SIP_TRUSTED_SOURCES
  value: {{ .Values.media.sipTrustedSources | toJson | quote }}
- name: HOTLINE_KAMAILIO_ALLOWED_WS_ORIGINS
  value: {{ include "hotline.wsOrigins" . }}
- name: HOTLINE_KAMAILIO_DISPATCHER_TARGETS
  value: {{ .Values.media.dispatcherTargets | toJson | quote }}
{{- if .Values.media.callbackGatewaySet }}
- name: HOTLINE_KAMAILIO_CALLBACK_GATEWAY_SET
  value: {{ .Values.media.callbackGatewaySet | quote }}
{{- end }}
- name: HOTLINE_KAMAILIO_CHILDREN
  value: {{ .Values.media.kamailioChildren | quote }}
- name: HOTLINE_RTPENGINE_NG_HOST
  {{- if .Values.media.controlNodeAddress }}
  {{- include "hotline.podIP" . | nindent 2 }}
  {{- else }}
  value: 127.0.0.1
  {{- end }}
- name: HOTLINE_RTPENGINE_NG_PORT
  value: {{ .Values.media.ngPort | quote }}
- name: HOTLINE_RTPENGINE_INTERFACE
  {{- include "hotline.podIP" . | nindent 2 }}
- name: HOTLINE_RTPENGINE_PORT_MIN
  value: {{ .Values.media.rtpPortMin | quote }}
- name: HOTLINE_RTPENGINE_PORT_MAX
  value: {{ .Values.media.rtpPortMax | quote }}
- name: HOTLINE_RTPENGINE_RECORDING_DIR
  value: /var/spool/hotline
- name: HOTLINE_RECORDINGS_SPOOL_DIR
  value: /var/spool/hotline
- name: HOTLINE_RECORDINGS_LOCAL_STORE_DIR
  value: /var/lib/hotline/recordings
- name: HOTLINE_RECORDINGS_METRICS_HOST
  {{- include "hotline.podIP" . | nindent 2 }}
- name: HOTLINE_RECORDINGS_METRICS_PORT
  value: {{ .Values.media.recordingsMetricsPort | quote }}
{{- end -}}
