/**
 * One desktop per agent among the tabs of one browser: a tab that opens the desktop claims
 * it on a BroadcastChannel named after the user. The tab holding it lets go (unregisters,
 * then answers "released") unless it is on a call, in which case it answers "busy" and the
 * new tab is refused. Only after the answer (or when nobody answers) does the new tab
 * register, so two registrations never ring together.
 */

export type LockState = 'claiming' | 'held' | 'moved' | 'refused';

type Message = { type: 'claim'; from: string } | { type: 'released' | 'busy'; from: string; to: string };

/** The part of BroadcastChannel the lock uses (tests give it an in-memory one). */
export interface Channel {
  postMessage: (message: Message) => void;
  onmessage: ((event: { data: Message }) => void) | null;
  close: () => void;
}

export interface DesktopLockOptions {
  channel: Channel;
  /** True while this tab is on a call: it then refuses to let go. */
  isBusy: () => boolean;
  /** Lets go of the desktop (unregister); the new tab waits for it. */
  release: () => void | Promise<void>;
  /** How long a claim waits for a holder to answer. */
  waitMs?: number;
  id?: string;
}

export class DesktopLock {
  readonly id: string;
  private current: LockState = 'claiming';
  private readonly listeners = new Set<() => void>();
  private readonly options: DesktopLockOptions;
  private pending: ((answer: 'released' | 'busy' | null) => void) | null = null;

  constructor(options: DesktopLockOptions) {
    this.options = options;
    this.id = options.id ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    options.channel.onmessage = (event) => void this.receive(event.data);
  }

  get state(): LockState {
    return this.current;
  }

  getState = (): LockState => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(state: LockState): void {
    this.current = state;
    for (const listener of this.listeners) listener();
  }

  /** Claims the desktop: "held" (register now) or "refused" (another tab is on a call). */
  async claim(): Promise<LockState> {
    this.set('claiming');
    const answer = await new Promise<'released' | 'busy' | null>((resolve) => {
      this.pending = resolve;
      this.options.channel.postMessage({ type: 'claim', from: this.id });
      setTimeout(() => resolve(null), this.options.waitMs ?? 400);
    });
    this.pending = null;
    this.set(answer === 'busy' ? 'refused' : 'held');
    return this.current;
  }

  private async receive(message: Message): Promise<void> {
    if (message.from === this.id) return;
    if (message.type === 'claim') {
      if (this.current !== 'held') return;
      if (this.options.isBusy()) {
        this.options.channel.postMessage({ type: 'busy', from: this.id, to: message.from });
        return;
      }
      this.set('moved');
      await this.options.release();
      this.options.channel.postMessage({ type: 'released', from: this.id, to: message.from });
    } else if (message.to === this.id && this.pending) {
      this.pending(message.type);
    }
  }

  close(): void {
    this.options.channel.onmessage = null;
    this.options.channel.close();
  }
}

export function browserChannel(name: string): Channel {
  return new BroadcastChannel(name) as unknown as Channel;
}
