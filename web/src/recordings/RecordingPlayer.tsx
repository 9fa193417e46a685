import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useClient } from 'urql';

import { classifyError } from '../api/errors';
import type { MessageId } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { Button } from '../ui/Button';
import { buildChannelGraph, browserAudioContext, DEFAULT_PAN, setChannelMix, SIDES, type AudioContextFactory, type ChannelGraph, type Side } from './channelGraph';
import { ChannelStrip } from './ChannelStrip';
import { RecordingPlaybackUrlQuery } from './operations';
import { useChannelLevels } from './useChannelLevels';

/** What a page beside the player may do with it (e.g. pin comments to times, play from one). */
export interface RecordingPlayerHandle {
  /** The playback position in seconds (0 before anything is loaded). */
  currentTime: () => number;
  /** Play from `seconds`, asking for the URL first if none has been issued. */
  seek: (seconds: number) => void;
}

export interface RecordingPlayerProps {
  /** The Recording's global id. */
  recordingId: string;
  /** A label for the player region (e.g. the call's time and agent). */
  label?: string;
  /** Told the playback position (seconds) as it moves, e.g. to pin comments to times. */
  onTimeChange?: (seconds: number) => void;
  /** Tests swap the browser's AudioContext. */
  audioContextFactory?: AudioContextFactory;
  /** Ask for the URL (logged) on mount, without playing: for pages whose job is to listen. */
  loadOnMount?: boolean;
  /** The player's handle (a callback ref suits a parent that keeps it in state). */
  ref?: Ref<RecordingPlayerHandle>;
}

type Status = 'idle' | 'loading' | 'ready' | 'playing' | 'paused' | 'ended';

const STATUS_TEXT: Record<Status, MessageId> = {
  idle: 'recordings.player.status.idle',
  loading: 'recordings.player.status.loading',
  ready: 'recordings.player.status.ready',
  playing: 'recordings.player.status.playing',
  paused: 'recordings.player.status.paused',
  ended: 'recordings.player.status.ended',
};

/**
 * Plays one recording (mount it with `key={recordingId}`, so another recording starts afresh) from a short-lived URL, with the caller and the agent as separate,
 * visible channels (split with the Web Audio API: a level meter, mute and pan each).
 * The URL is asked for only when the user presses Play, because every issue is logged.
 */
export function RecordingPlayer({
  recordingId,
  label,
  onTimeChange,
  audioContextFactory = browserAudioContext,
  loadOnMount = false,
  ref,
}: RecordingPlayerProps) {
  const t = useT();
  const client = useClient();
  const audioRef = useRef<HTMLAudioElement>(null);
  // Where to start and whether to play once the URL arrives (set by Play and by seek).
  const pending = useRef<{ play: boolean; at: number | null }>({ play: true, at: null });
  const asked = useRef(false);
  const [url, setUrl] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>(loadOnMount ? 'loading' : 'idle');
  const [problem, setProblem] = useState<MessageId | null>(null);
  const [graph, setGraph] = useState<ChannelGraph | null>(null);
  const [muted, setMuted] = useState<Record<Side, boolean>>({ caller: false, agent: false });
  const [pan, setPan] = useState<Record<Side, number>>(DEFAULT_PAN);
  const levels = useChannelLevels(graph, status === 'playing');

  useEffect(() => () => void graph?.close(), [graph]);

  // Asks for the URL; its state changes come after the answer, so an effect may call it.
  const request = useCallback(async () => {
    const result = await client.query(RecordingPlaybackUrlQuery, { id: recordingId }, { requestPolicy: 'network-only' }).toPromise();
    const issued = result.data?.recordingPlaybackUrl.url;
    if (!issued) {
      const kind = result.error ? classifyError(result.error).kind : 'other';
      setProblem(kind === 'forbidden' ? 'recordings.player.forbidden' : kind === 'notFound' ? 'recordings.player.notFound' : 'recordings.player.failed');
      setStatus('idle');
      asked.current = false;
      return;
    }
    setUrl(issued);
  }, [client, recordingId]);
  const fetchUrl = useCallback(() => {
    if (asked.current) return;
    asked.current = true;
    setStatus('loading');
    setProblem(null);
    void request();
  }, [request]);
  const start = () => {
    pending.current = { play: true, at: pending.current.at };
    fetchUrl();
  };

  useEffect(() => {
    if (!loadOnMount || asked.current) return;
    asked.current = true;
    pending.current = { play: false, at: null };
    void request();
  }, [request, loadOnMount]);

  useImperativeHandle(
    ref,
    () => ({
      currentTime: () => audioRef.current?.currentTime ?? 0,
      seek: (seconds: number) => {
        const audio = audioRef.current;
        if (!audio) {
          pending.current = { play: true, at: seconds };
          fetchUrl();
          return;
        }
        audio.currentTime = seconds;
        void audio.play().catch(() => undefined);
      },
    }),
    [fetchUrl],
  );

  const onPlay = useCallback(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!graph) {
      const built = buildChannelGraph(audio, audioContextFactory);
      SIDES.forEach((side) => setChannelMix(built, side, { muted: muted[side], pan: pan[side] }));
      setGraph(built);
      void built.context.resume();
    } else if (graph.context.state === 'suspended') {
      void graph.context.resume();
    }
  }, [audioContextFactory, graph, muted, pan]);

  useEffect(() => {
    const audio = audioRef.current;
    if (!url || !audio) return;
    const { play, at } = pending.current;
    if (at !== null) audio.currentTime = at;
    if (play) void audio.play().catch(() => setStatus('ready'));
  }, [url]);

  const mute = (side: Side, value: boolean) => {
    setMuted((current) => ({ ...current, [side]: value }));
    if (graph) setChannelMix(graph, side, { muted: value, pan: pan[side] });
  };
  const setSidePan = (side: Side, value: number) => {
    setPan((current) => ({ ...current, [side]: value }));
    if (graph) setChannelMix(graph, side, { muted: muted[side], pan: value });
  };

  return (
    <section className="recording-player" aria-label={label ?? t('recordings.player.label')}>
      {url ? null : (
        <Button variant="primary" onClick={start} busy={status === 'loading'}>
          {t('recordings.player.play')}
        </Button>
      )}
      {problem ? (
        <p role="alert" className="alert alert-error">
          {t(problem)}
        </p>
      ) : null}
      {url ? (
        // The recording is a two-party call; there is no caption track to offer.
        // eslint-disable-next-line jsx-a11y/media-has-caption
        <audio
          ref={audioRef}
          src={url}
          controls
          crossOrigin="anonymous"
          preload="auto"
          aria-label={t('recordings.player.audio')}
          onPlay={onPlay}
          onPlaying={() => setStatus('playing')}
          onPause={() => setStatus('paused')}
          onEnded={() => setStatus('ended')}
          onCanPlay={() => setStatus((s) => (s === 'idle' || s === 'loading' ? 'ready' : s))}
          onTimeUpdate={(event) => onTimeChange?.(event.currentTarget.currentTime)}
        />
      ) : null}
      {url ? (
        <p role="status" className="player-status" data-status={status}>
          {t(STATUS_TEXT[status])}
        </p>
      ) : null}
      {url ? (
        <div className="channel-strips">
          {SIDES.map((side) => (
            <ChannelStrip
              key={side}
              side={side}
              level={levels[side]}
              muted={muted[side]}
              pan={pan[side]}
              onMute={(value) => mute(side, value)}
              onPan={(value) => setSidePan(side, value)}
            />
          ))}
        </div>
      ) : null}
    </section>
  );
}
