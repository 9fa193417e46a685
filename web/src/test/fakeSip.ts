/** A fake SIP stack behind the softphone's UaFactory boundary, for unit tests only. */
import type { SessionAnswer, SessionHandlers, SipConfig, SipSession, SipUa, UaFactory, UaHandlers } from '../softphone/sip';

export class FakeSession implements SipSession {
  handlers: SessionHandlers | null = null;
  answered: SessionAnswer | null = null;
  terminated = false;
  holds: string[] = [];
  dtmf: string[] = [];
  connection: RTCPeerConnection | null = null;
  readonly remote: string;
  private readonly headers: Record<string, string>;

  constructor(remote: string, headers: Record<string, string> = {}) {
    this.remote = remote;
    this.headers = headers;
  }

  header(name: string): string | null {
    return this.headers[name] ?? null;
  }
  setHandlers(handlers: SessionHandlers): void {
    this.handlers = handlers;
  }
  answer(answer: SessionAnswer): void {
    this.answered = answer;
  }
  terminate(): void {
    this.terminated = true;
  }
  hold(): void {
    this.holds.push('hold');
  }
  unhold(): void {
    this.holds.push('unhold');
  }
  sendDtmf(tones: string): void {
    this.dtmf.push(tones);
  }
}

export class FakeUa implements SipUa {
  started = false;
  stopped = false;
  readonly config: SipConfig;
  readonly handlers: UaHandlers;

  constructor(config: SipConfig, handlers: UaHandlers) {
    this.config = config;
    this.handlers = handlers;
  }
  start(): void {
    this.started = true;
  }
  stop(): void {
    this.stopped = true;
  }
  register(): void {
    this.handlers.onRegistered();
  }
}

/** A factory that remembers every UA it built (the last one is the live one). */
export function fakeUaFactory(): { factory: UaFactory; uas: FakeUa[]; last: () => FakeUa } {
  const uas: FakeUa[] = [];
  const factory: UaFactory = (config, handlers) => {
    const ua = new FakeUa(config, handlers);
    uas.push(ua);
    return ua;
  };
  return {
    factory,
    uas,
    last: () => {
      const ua = uas.at(-1);
      if (!ua) throw new Error('no UA built yet');
      return ua;
    },
  };
}

export const TEST_CONFIG: SipConfig = {
  websocketUrl: 'ws://127.0.0.1:5066',
  uri: 'sip:agent-1@acme.sip.test',
  username: '1700000000:agent-1',
  password: 'secret',
  expiresAt: null,
};

/** A stand-in MediaStream with one audio track whose `enabled` and `stop` are observable. */
export function fakeStream(): MediaStream {
  const track = { kind: 'audio', enabled: true, stopped: false, stop() { this.stopped = true; } };
  return {
    getTracks: () => [track],
    getAudioTracks: () => [track],
  } as unknown as MediaStream;
}
