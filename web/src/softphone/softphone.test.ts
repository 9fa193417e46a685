import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeSession, fakeStream, fakeUaFactory, TEST_CONFIG } from '../test/fakeSip';
import { readQuality } from './quality';
import { callbackOf, Softphone } from './softphone';

function sink() {
  return { play: vi.fn(), setSpeaker: vi.fn(() => Promise.resolve(true)) };
}

async function registered(options: { listenOnly?: boolean } = {}) {
  const sip = fakeUaFactory();
  const stream = fakeStream();
  const microphone = vi.fn(() => Promise.resolve(stream));
  const credentials = vi.fn(() => Promise.resolve(TEST_CONFIG));
  const phone = new Softphone({ ua: sip.factory, credentials, sink: sink(), microphone, retryDelaysMs: [1000, 5000], ...options });
  await phone.start();
  sip.last().handlers.onRegistered();
  return { phone, sip, stream, microphone, credentials };
}

function ring(sip: ReturnType<typeof fakeUaFactory>, headers: Record<string, string> = {}) {
  const session = new FakeSession('+15551230001', headers);
  sip.last().handlers.onIncoming(session);
  return session;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('registration', () => {
  it('registers with the credentials it is given', async () => {
    const { phone, sip } = await registered();
    expect(sip.last().started).toBe(true);
    expect(sip.last().config.uri).toBe(TEST_CONFIG.uri);
    expect(phone.getState().registration).toBe('registered');
  });

  it('shows a network drop as reconnecting, then registered again', async () => {
    const { phone, sip } = await registered();
    sip.last().handlers.onDisconnected();
    expect(phone.getState().registration).toBe('reconnecting');
    sip.last().handlers.onRegistered();
    expect(phone.getState().registration).toBe('registered');
  });

  it('retries a failed registration with fresh credentials, backing off', async () => {
    const { phone, sip, credentials } = await registered();
    sip.last().handlers.onRegistrationFailed('Authentication Error');
    expect(phone.getState()).toMatchObject({ registration: 'failed', error: 'Authentication Error' });
    expect(sip.last().stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(sip.uas).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sip.uas).toHaveLength(2);
    expect(sip.uas[0]?.stopped).toBe(true);
    expect(credentials).toHaveBeenCalledTimes(2);
    sip.last().handlers.onRegistrationFailed('Request Timeout');
    await vi.advanceTimersByTimeAsync(4999);
    expect(sip.uas).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sip.uas).toHaveLength(3);
    sip.last().handlers.onRegistered();
    expect(phone.getState()).toMatchObject({ registration: 'registered', error: null });
  });

  it('ignores what an old UA says after a restart', async () => {
    const { phone, sip } = await registered();
    const old = sip.last();
    phone.stop();
    expect(old.stopped).toBe(true);
    old.handlers.onRegistered();
    old.handlers.onIncoming(new FakeSession('x'));
    expect(phone.getState()).toMatchObject({ registration: 'stopped', call: null });
  });

  it('never retries after stop', async () => {
    const { phone, sip } = await registered();
    phone.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sip.uas).toHaveLength(1);
    expect(phone.getState().registration).toBe('stopped');
  });
});

describe('a call', () => {
  it('rings, answers with the microphone, times, and ends', async () => {
    const { phone, sip, stream } = await registered();
    const session = ring(sip);
    expect(phone.getState().call).toMatchObject({ phase: 'ringing', remote: '+15551230001', seq: 1 });
    await phone.answer();
    expect(session.answered?.stream).toBe(stream);
    session.handlers?.onAccepted();
    const call = phone.getState().call;
    expect(call?.phase).toBe('active');
    expect(call?.answeredAt).toBe(Date.now());
    session.handlers?.onEnded('Terminated');
    expect(phone.getState().call).toMatchObject({ phase: 'ended', endCause: 'Terminated', endedBy: 'remote' });
    expect(stream.getTracks()[0]).toMatchObject({ stopped: true });
    phone.dismiss();
    expect(phone.getState().call).toBeNull();
  });

  it('rejects an offer, marked as ended here', async () => {
    const { phone, sip } = await registered();
    const session = ring(sip);
    phone.reject();
    expect(session.terminated).toBe(true);
    session.handlers?.onFailed('Rejected');
    expect(phone.getState().call).toMatchObject({ phase: 'ended', endedBy: 'local' });
  });

  it('refuses a second offer while on a call', async () => {
    const { phone, sip } = await registered();
    ring(sip);
    const second = ring(sip);
    expect(second.terminated).toBe(true);
    expect(phone.getState().call?.seq).toBe(1);
  });

  it('holds and resumes only when SIP confirms', async () => {
    const { phone, sip } = await registered();
    const session = ring(sip);
    await phone.answer();
    session.handlers?.onAccepted();
    phone.toggleHold();
    expect(session.holds).toEqual(['hold']);
    expect(phone.getState().call?.held).toBe(false);
    session.handlers?.onHold();
    expect(phone.getState().call?.held).toBe(true);
    phone.toggleHold();
    session.handlers?.onUnhold();
    expect(session.holds).toEqual(['hold', 'unhold']);
    expect(phone.getState().call?.held).toBe(false);
  });

  it('mutes the microphone track', async () => {
    const { phone, sip, stream } = await registered();
    const session = ring(sip);
    await phone.answer();
    session.handlers?.onAccepted();
    phone.toggleMute();
    expect(stream.getAudioTracks()[0]?.enabled).toBe(false);
    expect(phone.getState().call?.muted).toBe(true);
    phone.toggleMute();
    expect(stream.getAudioTracks()[0]?.enabled).toBe(true);
  });

  it('sends keypad tones only during a call, and refuses anything else', async () => {
    const { phone, sip } = await registered();
    const session = ring(sip);
    phone.sendDtmf('1');
    expect(session.dtmf).toEqual([]);
    await phone.answer();
    session.handlers?.onAccepted();
    phone.sendDtmf('5');
    phone.sendDtmf('#');
    expect(session.dtmf).toEqual(['5', '#']);
    expect(() => phone.sendDtmf('x')).toThrow(/DTMF/);
  });

  it('answers listen-only without opening the microphone', async () => {
    const { phone, sip, microphone } = await registered({ listenOnly: true });
    const session = ring(sip);
    await phone.answer();
    expect(microphone).not.toHaveBeenCalled();
    expect(session.answered).toEqual({ stream: null });
    expect(phone.getState().call?.listenOnly).toBe(true);
  });

  it('reads a callback leg from its header', async () => {
    const { phone, sip } = await registered();
    ring(sip, { 'X-Hotline-Callback': 'call=c-1;number=+15550001111' });
    expect(phone.getState().call?.callback).toEqual({ callId: 'c-1', number: '+15550001111' });
    expect(callbackOf('call=c-2')).toBeNull();
  });

  it('chooses the speaker through the sink', async () => {
    const { phone } = await registered();
    expect(await phone.selectSpeaker('spk-2')).toBe(true);
    expect(phone.getState().speakerId).toBe('spk-2');
  });
});

describe('readQuality', () => {
  it('computes loss, jitter and RTT from getStats', () => {
    const q = readQuality([
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 980, packetsLost: 20, jitter: 0.012 },
      { type: 'outbound-rtp', kind: 'audio', packetsSent: 1000 },
      { type: 'remote-inbound-rtp', roundTripTime: 0.08 },
      { type: 'transport', dtlsState: 'connected' },
      { type: 'codec', mimeType: 'audio/PCMA' },
    ]);
    expect(q).toMatchObject({ packetsReceived: 980, packetsSent: 1000, dtls: 'connected', codec: 'audio/PCMA', grade: 'fair' });
    expect(q.lossPercent).toBeCloseTo(2);
    expect(q.jitterMs).toBeCloseTo(12);
    expect(q.rttMs).toBeCloseTo(80);
  });

  it('grades a clean call good and a lossy one poor', () => {
    expect(readQuality([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: 0, jitter: 0.002 }]).grade).toBe('good');
    expect(readQuality([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 90, packetsLost: 10, jitter: 0.002 }]).grade).toBe('poor');
    expect(readQuality([]).rttMs).toBeNull();
  });
});
