/**
 * A supervisor's listen-in, as a small observable store over the shared softphone (in its
 * listen-only mode): register on demand, ask the API to ring this softphone with the call's
 * audio (`listenToCall`), answer that leg at once, and stop (`stopListening`, then
 * unregister). Only a ring that arrives while a listen is being set up is answered.
 */
import type { Softphone, SoftphoneState } from '../../../softphone/softphone';

export type ListenPhase = 'idle' | 'registering' | 'connecting' | 'listening' | 'stopping' | 'ended' | 'failed';

export interface ListenTarget {
  callId: string;
  agent: string;
  number: string;
}

export interface ListenState {
  phase: ListenPhase;
  target: ListenTarget | null;
  /** Why the last listen failed (the API's or the softphone's words). */
  error: string | null;
}

export interface ListenApi {
  /** `listenToCall`: resolves with the listen id once the softphone answered. */
  listen: (callId: string) => Promise<string>;
  /** `stopListening`. */
  stop: (listenId: string) => Promise<void>;
}

/** No listen runs: a new one may start. */
export function listenIsFree(state: ListenState): boolean {
  return state.phase === 'idle' || state.phase === 'ended' || state.phase === 'failed';
}

const IDLE: ListenState = { phase: 'idle', target: null, error: null };
const REGISTER_TIMEOUT_MS = 15_000;

export class ListenController {
  private state: ListenState = IDLE;
  private readonly listeners = new Set<() => void>();
  private listenId: string | null = null;
  private answeredSeq: number | null = null;
  private unwatch: (() => void) | null = null;

  /** The listen-only softphone (its `quality()` reads the leg's getStats). */
  readonly softphone: Softphone;
  private readonly api: ListenApi;

  constructor(softphone: Softphone, api: ListenApi) {
    this.softphone = softphone;
    this.api = api;
  }

  getState = (): ListenState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<ListenState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Whether a new listen may start now (one at a time). */
  get free(): boolean {
    return listenIsFree(this.state);
  }

  async start(target: ListenTarget): Promise<void> {
    if (!this.free) return;
    this.listenId = null;
    this.answeredSeq = null;
    this.set({ phase: 'registering', target, error: null });
    this.watch();
    try {
      await this.softphone.start();
      await this.registered();
      if (this.state.target !== target) return;
      this.set({ phase: 'connecting' });
      const listenId = await this.api.listen(target.callId);
      if (this.state.target !== target || this.state.phase !== 'connecting') {
        await this.api.stop(listenId).catch(() => undefined);
        return;
      }
      this.listenId = listenId;
      this.set({ phase: 'listening' });
    } catch (error) {
      if (this.state.target === target) this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  /** Stops listening: the API hangs up the leg; the softphone unregisters. */
  async stop(): Promise<void> {
    if (this.free || this.state.phase === 'stopping') return;
    const listenId = this.listenId;
    this.set({ phase: 'stopping' });
    let error: string | null = null;
    if (listenId) {
      try {
        await this.api.stop(listenId);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    this.release();
    this.set({ phase: error ? 'failed' : 'ended', error });
  }

  /** Leaves the page: hangs up and unregisters without waiting. */
  dispose(): void {
    if (this.listenId) void this.api.stop(this.listenId).catch(() => undefined);
    this.release();
    this.listeners.clear();
  }

  private fail(message: string): void {
    this.release();
    this.set({ phase: 'failed', error: message });
  }

  private release(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.listenId = null;
    this.softphone.hangUp();
    this.softphone.stop();
  }

  /** Answers the listen leg when it rings; notices when it ends from the far side. */
  private watch(): void {
    this.unwatch?.();
    const check = () => this.follow(this.softphone.getState());
    this.unwatch = this.softphone.subscribe(check);
  }

  private follow(phone: SoftphoneState): void {
    const call = phone.call;
    if (!call) return;
    if (call.phase === 'ringing' && this.state.phase === 'connecting' && this.answeredSeq === null) {
      this.answeredSeq = call.seq;
      void this.softphone.answer();
    } else if (call.phase === 'ended' && call.seq === this.answeredSeq && this.state.phase === 'listening') {
      // The call itself ended, or the server hung up the leg.
      this.release();
      this.set({ phase: 'ended' });
    }
  }

  private registered(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const { registration, error } = this.softphone.getState();
        if (registration === 'registered') done(resolve);
        else if (registration === 'failed') done(() => reject(new Error(error ?? 'registration failed')));
      };
      const timer = setTimeout(() => done(() => reject(new Error('registration timed out'))), REGISTER_TIMEOUT_MS);
      const unsubscribe = this.softphone.subscribe(check);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        finish();
      };
      check();
    });
  }
}
