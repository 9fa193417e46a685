import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { imperativeClient } from '../test/imperativeClient';
import { gqlError, ownerSession, renderPage, type FakeAnswer } from '../test/render';
import { RecordingPlayer, type RecordingPlayerHandle } from './RecordingPlayer';

/** A stand-in for the browser's AudioContext: records the graph the player builds. */
class FakeAudioContext {
  state = 'suspended';
  destination = { name: 'speakers' };
  connections: [string, string, number | undefined][] = [];
  analysers: { fftSize: number; getFloatTimeDomainData: (b: Float32Array) => void }[] = [];
  gains: { gain: { value: number } }[] = [];
  panners: { pan: { value: number } }[] = [];
  node<T extends object>(name: string, extra: T) {
    return { ...extra, name, connect: (target: { name: string }, output?: number) => this.connections.push([name, target.name, output]) };
  }
  createMediaElementSource() {
    return this.node('source', {});
  }
  createChannelSplitter() {
    return this.node('splitter', {});
  }
  createAnalyser() {
    const analyser = this.node(`analyser${this.analysers.length}`, {
      fftSize: 2048,
      getFloatTimeDomainData: (buffer: Float32Array) => buffer.fill(this.analysers.indexOf(analyser) === 0 ? 0.5 : 0.25),
    });
    this.analysers.push(analyser);
    return analyser;
  }
  createGain() {
    const gain = this.node(`gain${this.gains.length}`, { gain: { value: 1 } });
    this.gains.push(gain);
    return gain;
  }
  createStereoPanner() {
    const panner = this.node(`panner${this.panners.length}`, { pan: { value: 0 } });
    this.panners.push(panner);
    return panner;
  }
  resume() {
    this.state = 'running';
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

function renderPlayer(answer: FakeAnswer) {
  const context = new FakeAudioContext();
  const fake = imperativeClient({ query: () => answer });
  renderPage(<RecordingPlayer recordingId="UmVjOjE=" audioContextFactory={() => context as unknown as AudioContext} />, {
    client: fake.client,
    session: ownerSession,
  });
  return { ...fake, context, user: userEvent.setup() };
}

describe('RecordingPlayer', () => {
  beforeEach(() => {
    // jsdom has no media playback; the browser test plays for real.
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  });

  it('asks for a URL only on Play, then splits the caller and the agent into two channels', async () => {
    const { user, context, executeQuery } = renderPlayer({
      data: { recordingPlaybackUrl: { url: '/v1/recordings/playback?key=k', expiresAt: '2026-12-04T10:00:00Z' } },
    });
    expect(executeQuery).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Play recording' }));
    const audio = await screen.findByLabelText('Recording audio');
    expect(audio).toHaveAttribute('src', '/v1/recordings/playback?key=k');
    expect(executeQuery.mock.calls[0]?.[0].variables).toEqual({ id: 'UmVjOjE=' });

    fireEvent.play(audio);
    fireEvent.playing(audio);
    expect(context.state).toBe('running');
    expect(context.connections).toEqual(
      expect.arrayContaining([
        ['source', 'splitter', undefined],
        ['splitter', 'analyser0', 0],
        ['splitter', 'analyser1', 1],
        ['analyser0', 'gain0', undefined],
        ['gain1', 'panner1', undefined],
        ['panner0', 'speakers', undefined],
        ['panner1', 'speakers', undefined],
      ]),
    );
    expect(screen.getByText('Playing')).toHaveAttribute('data-status', 'playing');
    const caller = screen.getByLabelText('Caller level');
    const agent = screen.getByLabelText('Agent level');
    await waitFor(() => expect(Number(caller.getAttribute('value'))).toBeCloseTo(0.5));
    expect(Number(agent.getAttribute('value'))).toBeCloseTo(0.25);
    expect(context.panners.map((p) => p.pan.value)).toEqual([-0.5, 0.5]);

    await user.click(screen.getByRole('button', { name: 'Mute Agent' }));
    expect(context.gains.map((g) => g.gain.value)).toEqual([1, 0]);
    expect(screen.getByRole('button', { name: 'Unmute Agent' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.change(screen.getByLabelText('Caller position'), { target: { value: '0' } });
    expect(context.panners.map((p) => p.pan.value)).toEqual([0, 0.5]);
  });

  it('says why when the role may not play', async () => {
    const { user } = renderPlayer({ error: gqlError('FORBIDDEN', 'role agent may not play recordings') });
    await user.click(screen.getByRole('button', { name: 'Play recording' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your role may not play this recording.');
    expect(screen.queryByLabelText('Recording audio')).not.toBeInTheDocument();
  });

  it('loads on mount without playing when asked, and its handle reads and moves the time', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const handle: { current: RecordingPlayerHandle | null } = { current: null };
    const fake = imperativeClient({ query: () => ({ data: { recordingPlaybackUrl: { url: '/v1/recordings/playback?key=m', expiresAt: '2026-12-04T10:00:00Z' } } }) });
    renderPage(<RecordingPlayer recordingId="UmVjOjE=" loadOnMount ref={(h) => void (handle.current = h)} />, { client: fake.client, session: ownerSession });
    const audio = await screen.findByLabelText<HTMLAudioElement>('Recording audio');
    expect(fake.executeQuery).toHaveBeenCalledTimes(1);
    expect(play).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Play recording' })).not.toBeInTheDocument();
    audio.currentTime = 12.5;
    expect(handle.current?.currentTime()).toBe(12.5);
    act(() => handle.current?.seek(42.3));
    expect(audio.currentTime).toBe(42.3);
    expect(play).toHaveBeenCalledTimes(1);
  });

  it('asks for the URL when seeked before Play, then plays from there', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const handle: { current: RecordingPlayerHandle | null } = { current: null };
    const fake = imperativeClient({ query: () => ({ data: { recordingPlaybackUrl: { url: '/v1/recordings/playback?key=s', expiresAt: '2026-12-04T10:00:00Z' } } }) });
    renderPage(<RecordingPlayer recordingId="UmVjOjE=" ref={(h) => void (handle.current = h)} />, { client: fake.client, session: ownerSession });
    expect(fake.executeQuery).not.toHaveBeenCalled();
    expect(handle.current?.currentTime()).toBe(0);
    act(() => handle.current?.seek(7));
    const audio = await screen.findByLabelText<HTMLAudioElement>('Recording audio');
    await waitFor(() => expect(play).toHaveBeenCalledTimes(1));
    expect(audio.currentTime).toBe(7);
    expect(fake.executeQuery).toHaveBeenCalledTimes(1);
  });
});
