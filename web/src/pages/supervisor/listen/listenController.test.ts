import { describe, expect, it, vi } from 'vitest';

import { Softphone } from '../../../softphone/softphone';
import { FakeSession, fakeUaFactory, TEST_CONFIG } from '../../../test/fakeSip';
import { ListenController, type ListenApi } from './listenController';

const TARGET = { callId: 'call-9', agent: 'Bo Agent', number: '+33612345678' };

function setUp(api: Partial<ListenApi> = {}) {
  const sip = fakeUaFactory();
  const sink = { play: vi.fn(), setSpeaker: vi.fn(() => Promise.resolve(true)) };
  const microphone = vi.fn(() => Promise.reject(new Error('no microphone for a listen leg')));
  const phone = new Softphone({ ua: sip.factory, credentials: () => Promise.resolve(TEST_CONFIG), sink, microphone, listenOnly: true });
  let answerListen: (id: string) => void = () => undefined;
  let refuseListen: (error: Error) => void = () => undefined;
  const listen = vi.fn(
    () =>
      new Promise<string>((resolve, reject) => {
        answerListen = resolve;
        refuseListen = reject;
      }),
  );
  const stop = vi.fn(() => Promise.resolve());
  const controller = new ListenController(phone, { listen, stop, ...api });
  return { sip, phone, controller, listen, stop, microphone, answer: (id: string) => answerListen(id), refuse: (e: Error) => refuseListen(e) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ListenController', () => {
  it('registers, asks to listen, answers the ring without a microphone, then stops and unregisters', async () => {
    const { sip, phone, controller, listen, stop, microphone, answer } = setUp();
    const started = controller.start(TARGET);
    expect(controller.getState()).toMatchObject({ phase: 'registering', target: TARGET });
    await settle();
    expect(listen).not.toHaveBeenCalled(); // not before the softphone registered
    sip.last().handlers.onRegistered();
    await settle();
    expect(controller.getState().phase).toBe('connecting');
    expect(listen).toHaveBeenCalledWith('call-9');

    const leg = new FakeSession('hotline');
    sip.last().handlers.onIncoming(leg);
    await settle();
    expect(leg.answered).toEqual({ stream: null });
    expect(microphone).not.toHaveBeenCalled();
    leg.handlers?.onAccepted();
    answer('listen-1');
    await started;
    expect(controller.getState().phase).toBe('listening');

    await controller.stop();
    expect(stop).toHaveBeenCalledWith('listen-1');
    expect(controller.getState()).toMatchObject({ phase: 'ended', target: TARGET, error: null });
    expect(phone.getState().registration).toBe('stopped');
    expect(sip.last().stopped).toBe(true);
  });

  it('never answers a ring that comes while no listen is being set up', async () => {
    const { sip, controller, answer } = setUp();
    const started = controller.start(TARGET);
    await settle();
    sip.last().handlers.onRegistered();
    await settle();
    const leg = new FakeSession('hotline');
    sip.last().handlers.onIncoming(leg);
    await settle();
    leg.handlers?.onAccepted();
    answer('listen-1');
    await started;
    const second = new FakeSession('someone else');
    sip.last().handlers.onIncoming(second); // refused: one call at a time
    expect(second.answered).toBeNull();
    expect(second.terminated).toBe(true);
  });

  it('fails with the API words and unregisters when listening is refused', async () => {
    const { sip, phone, controller, refuse } = setUp();
    const started = controller.start(TARGET);
    await settle();
    sip.last().handlers.onRegistered();
    await settle();
    refuse(new Error('the call is not answered yet'));
    await started;
    expect(controller.getState()).toMatchObject({ phase: 'failed', error: 'the call is not answered yet' });
    expect(phone.getState().registration).toBe('stopped');
    expect(controller.free).toBe(true);
  });

  it('fails when the softphone cannot register', async () => {
    const { sip, controller, listen } = setUp();
    const started = controller.start(TARGET);
    await settle();
    sip.last().handlers.onRegistrationFailed('Forbidden');
    await started;
    expect(controller.getState()).toMatchObject({ phase: 'failed', error: 'Forbidden' });
    expect(listen).not.toHaveBeenCalled();
  });

  it('ends when the far side hangs up the listen leg', async () => {
    const { sip, controller, answer, stop } = setUp();
    const started = controller.start(TARGET);
    await settle();
    sip.last().handlers.onRegistered();
    await settle();
    const leg = new FakeSession('hotline');
    sip.last().handlers.onIncoming(leg);
    await settle();
    leg.handlers?.onAccepted();
    answer('listen-1');
    await started;
    leg.handlers?.onEnded('Terminated');
    expect(controller.getState().phase).toBe('ended');
    expect(stop).not.toHaveBeenCalled();
  });

  it('stops a listen that is still joining, and hangs up the leg the API placed after', async () => {
    const { sip, controller, answer, stop } = setUp();
    const started = controller.start(TARGET);
    await settle();
    sip.last().handlers.onRegistered();
    await settle();
    await controller.stop();
    expect(controller.getState().phase).toBe('ended');
    answer('listen-late');
    await started;
    expect(stop).toHaveBeenCalledWith('listen-late');
    expect(controller.getState().phase).toBe('ended');
  });
});
