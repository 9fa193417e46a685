/**
 * The softphone: one SIP registration and at most one call, as a small observable store
 * (`subscribe`/`getState`, ready for React's useSyncExternalStore). No React and no JsSIP
 * here: the SIP stack comes in through `UaFactory` (sip.ts), the media through the options.
 *
 * The agent desktop answers calls with it; the supervisor console can reuse it for
 * listen/whisper/barge legs (`listenOnly` answers without a microphone).
 */
import { openMicrophone, elementSink, type AudioSink } from './devices';
import { connectionQuality, type CallQuality } from './quality';
import type { SipConfig, SipSession, SipUa, UaFactory } from './sip';

export type Registration = 'stopped' | 'connecting' | 'registered' | 'reconnecting' | 'failed';

export type CallPhase = 'ringing' | 'connecting' | 'active' | 'ended';

/** A callback's agent leg: Hotline dials the agent first, then the customer. */
export interface CallbackLeg {
  callId: string;
  number: string;
}

export interface CallInfo {
  /** Increases with every call this softphone sees. */
  seq: number;
  remote: string;
  callback: CallbackLeg | null;
  phase: CallPhase;
  held: boolean;
  muted: boolean;
  listenOnly: boolean;
  ringingAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** JsSIP's cause ("Terminated", "Canceled", "Rejected", …) once ended. */
  endCause: string | null;
  /** Who ended it: "local" when this softphone hung up or rejected. */
  endedBy: 'local' | 'remote' | null;
}

export interface SoftphoneState {
  registration: Registration;
  /** Why the last registration failed, until the next success. */
  error: string | null;
  call: CallInfo | null;
  microphoneId: string | null;
  speakerId: string | null;
}

export interface SoftphoneOptions {
  ua: UaFactory;
  /** Fresh credentials (the API's `sipCredentials`), asked for at every (re)start. */
  credentials: () => Promise<SipConfig>;
  sink?: AudioSink;
  microphone?: (deviceId: string | null) => Promise<MediaStream>;
  /** Answer without a local track (a supervisor's listen leg). */
  listenOnly?: boolean;
  now?: () => number;
  /** Waits before registering again after a failure; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];

/** Parses `X-Hotline-Callback: call=<id>;number=<number>` (Kamailio strips it from others). */
export function callbackOf(header: string | null): CallbackLeg | null {
  if (!header) return null;
  const fields: Record<string, string> = {};
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return fields.number ? { callId: fields.call ?? '', number: fields.number } : null;
}

export class Softphone {
  private state: SoftphoneState = {
    registration: 'stopped',
    error: null,
    call: null,
    microphoneId: null,
    speakerId: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly options: SoftphoneOptions;
  private readonly sink: AudioSink;
  private ua: SipUa | null = null;
  /** Bumped on every (re)start: handlers of an older UA are ignored. */
  private generation = 0;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private session: SipSession | null = null;
  private localStream: MediaStream | null = null;
  private seq = 0;
  private wanted = false;
  private hungUpHere = false;

  constructor(options: SoftphoneOptions) {
    this.options = options;
    this.sink = options.sink ?? elementSink();
  }

  // --- the store -----------------------------------------------------------------------

  getState = (): SoftphoneState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<SoftphoneState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private setCall(patch: Partial<CallInfo>): void {
    if (this.state.call) this.set({ call: { ...this.state.call, ...patch } });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The local audio of the current call (for a level meter), or null. */
  get microphoneStream(): MediaStream | null {
    return this.localStream;
  }

  // --- registration --------------------------------------------------------------------

  /** Registers, and keeps registered (network drops, failures, credential expiry). */
  async start(): Promise<void> {
    this.wanted = true;
    await this.connect();
  }

  /** Unregisters and ends the call, if any. Nothing comes back until `start`. */
  stop(): void {
    this.wanted = false;
    this.clearTimers();
    this.generation += 1;
    this.session?.terminate();
    this.ua?.stop();
    this.ua = null;
    this.set({ registration: 'stopped' });
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.retryTimer = this.renewTimer = null;
  }

  private async connect(): Promise<void> {
    this.clearTimers();
    const generation = ++this.generation;
    this.ua?.stop();
    this.ua = null;
    this.set({ registration: 'connecting' });
    let config: SipConfig;
    try {
      config = await this.options.credentials();
    } catch (error) {
      if (generation === this.generation) this.failed(String(error));
      return;
    }
    if (generation !== this.generation || !this.wanted) return;
    const mine = () => generation === this.generation;
    this.ua = this.options.ua(config, {
      onConnected: () => undefined,
      onDisconnected: () => {
        if (mine() && this.wanted) this.set({ registration: 'reconnecting' });
      },
      onRegistered: () => {
        if (!mine()) return;
        this.failures = 0;
        this.set({ registration: 'registered', error: null });
      },
      onUnregistered: () => {
        if (mine() && this.wanted) this.set({ registration: 'reconnecting' });
      },
      onRegistrationFailed: (cause) => {
        if (mine()) this.failed(cause);
      },
      onIncoming: (session) => {
        if (mine()) this.incoming(session);
      },
    });
    this.ua.start();
    this.scheduleRenewal(config.expiresAt ?? null);
  }

  private failed(cause: string): void {
    this.set({ registration: 'failed', error: cause });
    if (!this.wanted) return;
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 30_000;
    this.failures += 1;
    // New credentials on every try: the old ones may be what failed.
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** The network is back (the page's `online` event): register now, not at the next retry. */
  reconnectNow(): void {
    if (this.wanted && this.state.registration !== 'registered' && !this.session) void this.connect();
  }

  private scheduleRenewal(expiresAt: string | null): void {
    if (!expiresAt) return;
    const left = Date.parse(expiresAt) - Date.now() - 60_000;
    if (!Number.isFinite(left)) return;
    this.renewTimer = setTimeout(() => this.renew(), Math.max(left, 1000));
  }

  private renew(): void {
    if (!this.wanted) return;
    if (this.session) {
      this.renewTimer = setTimeout(() => this.renew(), 5000); // never re-register mid-call
      return;
    }
    void this.connect();
  }

  // --- calls ---------------------------------------------------------------------------

  private incoming(session: SipSession): void {
    if (this.session) {
      session.terminate(); // one call at a time: a second offer is refused (busy)
      return;
    }
    this.session = session;
    this.seq += 1;
    this.set({
      call: {
        seq: this.seq,
        remote: session.remote,
        callback: callbackOf(session.header('X-Hotline-Callback')),
        phase: 'ringing',
        held: false,
        muted: false,
        listenOnly: this.options.listenOnly ?? false,
        ringingAt: this.now(),
        answeredAt: null,
        endedAt: null,
        endCause: null,
        endedBy: null,
      },
    });
    this.hungUpHere = false;
    const end = (cause: string) => {
      if (this.session !== session) return;
      this.session = null;
      this.releaseMedia();
      this.setCall({ phase: 'ended', endedAt: this.now(), endCause: cause, endedBy: this.hungUpHere ? 'local' : 'remote', held: false });
    };
    session.setHandlers({
      onPeerConnection: (connection) => {
        connection.addEventListener('track', (event) => this.sink.play(event.streams[0] ?? null));
      },
      onAccepted: () => this.setCall({ phase: 'active', answeredAt: this.now() }),
      onEnded: end,
      onFailed: end,
      onHold: () => this.setCall({ held: true }),
      onUnhold: () => this.setCall({ held: false }),
    });
  }

  private releaseMedia(): void {
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = null;
    this.sink.play(null);
  }

  /** Answers the ringing call with the chosen microphone (or none, listen-only). */
  async answer(): Promise<void> {
    const session = this.session;
    if (!session || this.state.call?.phase !== 'ringing') return;
    this.setCall({ phase: 'connecting' });
    let stream: MediaStream | null = null;
    if (!this.options.listenOnly) {
      try {
        stream = await (this.options.microphone ?? openMicrophone)(this.state.microphoneId);
      } catch (error) {
        this.set({ error: `microphone: ${String(error)}` });
        this.setCall({ phase: 'ringing' });
        return;
      }
    }
    if (this.session !== session) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      return;
    }
    this.localStream = stream;
    session.answer({ stream });
  }

  /** Rejects the ringing call (486), or hangs up the current one. */
  reject(): void {
    this.hangUp();
  }

  hangUp(): void {
    if (!this.session) return;
    this.hungUpHere = true;
    this.session.terminate();
  }

  hold(): void {
    if (this.session && this.state.call?.phase === 'active' && !this.state.call.held) this.session.hold();
  }

  resume(): void {
    if (this.session && this.state.call?.held) this.session.unhold();
  }

  toggleHold(): void {
    if (this.state.call?.held) this.resume();
    else this.hold();
  }

  /** Mutes the microphone (its track sends silence); the far end stays connected. */
  setMuted(muted: boolean): void {
    if (!this.session || !this.state.call || this.state.call.phase === 'ended') return;
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.setCall({ muted });
  }

  toggleMute(): void {
    this.setMuted(!(this.state.call?.muted ?? false));
  }

  /** Sends keypad tones (0-9, *, #, A-D) as RFC 4733 events. */
  sendDtmf(tones: string): void {
    if (!/^[0-9A-D#*]+$/i.test(tones)) throw new Error(`not a DTMF tone: ${tones}`);
    if (this.session && this.state.call?.phase === 'active') this.session.sendDtmf(tones);
  }

  /** Forgets an ended call (the panel closes). */
  dismiss(): void {
    if (this.state.call?.phase === 'ended') this.set({ call: null });
  }

  // --- devices and quality -------------------------------------------------------------

  /** Chooses the microphone; during a call the new one replaces the old at once. */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    this.set({ microphoneId: deviceId });
    const connection = this.session?.connection;
    if (!connection || !this.localStream || this.options.listenOnly) return;
    const next = await (this.options.microphone ?? openMicrophone)(deviceId);
    const track = next.getAudioTracks()[0] ?? null;
    if (track) track.enabled = !(this.state.call?.muted ?? false);
    for (const sender of connection.getSenders()) {
      if (sender.track?.kind === 'audio') await sender.replaceTrack(track);
    }
    for (const old of this.localStream.getTracks()) old.stop();
    this.localStream = next;
  }

  async selectSpeaker(deviceId: string): Promise<boolean> {
    const done = await this.sink.setSpeaker(deviceId);
    if (done) this.set({ speakerId: deviceId });
    return done;
  }

  /** Loss, jitter, RTT and packet counters of the current call, or null. */
  async quality(): Promise<CallQuality | null> {
    const connection = this.session?.connection;
    return connection ? connectionQuality(connection) : null;
  }
}
