import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';

import type { SessionHandlers, SipConfig, SipSession, SipUa, UaFactory, UaHandlers } from './sip';

// max-compat: a listen leg has one audio section per party and rtpengine does not BUNDLE
// them; "balanced" may leave the second transport unconnected (docs/media-plane.md).
const PC_CONFIG: RTCConfiguration = { iceServers: [], bundlePolicy: 'max-compat' };

class JsSipSession implements SipSession {
  readonly remote: string;
  private readonly session: RTCSession;
  private readonly request: { getHeader: (name: string) => string | undefined } | null;

  constructor(session: RTCSession, request: unknown) {
    this.session = session;
    this.request = request as { getHeader: (name: string) => string | undefined } | null;
    const uri = session.remote_identity.uri;
    this.remote = uri.user || uri.toString();
  }

  header(name: string): string | null {
    return this.request?.getHeader(name) ?? null;
  }

  setHandlers(handlers: SessionHandlers): void {
    const s = this.session;
    s.on('peerconnection', (e) => handlers.onPeerConnection(e.peerconnection));
    s.on('accepted', () => handlers.onAccepted());
    s.on('ended', (e) => handlers.onEnded(e.cause));
    s.on('failed', (e) => handlers.onFailed(e.cause));
    s.on('hold', () => handlers.onHold());
    s.on('unhold', () => handlers.onUnhold());
  }

  answer({ stream }: { stream: MediaStream | null }): void {
    this.session.answer({
      ...(stream ? { mediaStream: stream } : { mediaConstraints: { audio: false, video: false } }),
      rtcAnswerConstraints: { offerToReceiveAudio: true },
      pcConfig: PC_CONFIG,
    });
  }

  terminate(): void {
    if (!this.session.isEnded()) this.session.terminate();
  }

  hold(): void {
    this.session.hold();
  }

  unhold(): void {
    this.session.unhold();
  }

  sendDtmf(tones: string): void {
    this.session.sendDTMF(tones, { transportType: JsSIP.C.DTMF_TRANSPORT.RFC2833, duration: 160 });
  }

  get connection(): RTCPeerConnection | null {
    return this.session.connection;
  }
}

/** The real SIP stack: a JsSIP UA over Kamailio's WebSocket. */
export const jssipUa: UaFactory = (config: SipConfig, handlers: UaHandlers): SipUa => {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(config.websocketUrl)],
    uri: config.uri,
    authorization_user: config.username,
    password: config.password,
    session_timers: false,
    register: true,
    register_expires: 300,
    // The WebSocket comes back by itself after a drop (1 s, doubling up to 30 s), and JsSIP
    // registers again as soon as it is connected.
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: 30,
  });
  ua.on('connected', () => handlers.onConnected());
  ua.on('disconnected', () => handlers.onDisconnected());
  ua.on('registered', () => handlers.onRegistered());
  ua.on('unregistered', () => handlers.onUnregistered());
  ua.on('registrationFailed', (e) => handlers.onRegistrationFailed(String(e.cause)));
  ua.on('newRTCSession', (e: RTCSessionEvent) => {
    if ((e.originator as string) === 'remote') handlers.onIncoming(new JsSipSession(e.session, e.request));
  });
  return {
    start: () => ua.start(),
    stop: () => ua.stop(),
    register: () => ua.register(),
  };
};
