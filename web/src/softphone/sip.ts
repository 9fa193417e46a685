/**
 * The boundary between the softphone and a SIP stack. `jssipUa.ts` implements it with
 * JsSIP; unit tests implement it with a fake. Nothing outside `softphone/` sees JsSIP.
 */

/** What a softphone registers with: Hotline's ephemeral credentials (`sipCredentials`). */
export interface SipConfig {
  websocketUrl: string;
  uri: string;
  username: string;
  password: string;
  /** When the credentials stop working (ISO time); renewed before then. */
  expiresAt?: string | null;
}

export interface UaHandlers {
  onConnected: () => void;
  onDisconnected: () => void;
  onRegistered: () => void;
  onUnregistered: () => void;
  onRegistrationFailed: (cause: string) => void;
  onIncoming: (session: SipSession) => void;
}

export interface SipUa {
  /** Opens the WebSocket and registers (the stack re-connects and re-registers by itself). */
  start: () => void;
  /** Unregisters, ends every session and closes the WebSocket. */
  stop: () => void;
  register: () => void;
}

export interface SessionHandlers {
  onAccepted: () => void;
  onEnded: (cause: string) => void;
  onFailed: (cause: string) => void;
  onHold: () => void;
  onUnhold: () => void;
  onPeerConnection: (connection: RTCPeerConnection) => void;
}

export interface SessionAnswer {
  /** The local audio; null answers listen-only (no microphone, receive only). */
  stream: MediaStream | null;
}

export interface SipSession {
  /** The caller's user part (a number) or its URI. */
  readonly remote: string;
  /** A header of the INVITE, or null. */
  header: (name: string) => string | null;
  setHandlers: (handlers: SessionHandlers) => void;
  answer: (answer: SessionAnswer) => void;
  /** Rejects an offer (486) or hangs up an established call. */
  terminate: () => void;
  hold: () => void;
  unhold: () => void;
  /** RFC 4733 telephone-events in the media (RTCDTMFSender), never SIP INFO. */
  sendDtmf: (tones: string) => void;
  readonly connection: RTCPeerConnection | null;
}

export type UaFactory = (config: SipConfig, handlers: UaHandlers) => SipUa;
