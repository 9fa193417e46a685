import type { Ref } from 'react';

import { useQuery } from 'urql';

import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { QueryProblem } from '../../../ui/QueryProblem';

const RecordingPlaybackQuery = graphql(`
  query QaRecordingPlayback($id: ID!) {
    recordingPlaybackUrl(id: $id) {
      url
      expiresAt
    }
  }
`);

/**
 * A plain `<audio>` player of one recording, from its short-lived playback URL. The ref is
 * the `<audio>` element, so a scoring form can read its current time and seek it. (The
 * recordings area's shared player can take its place later: it needs to expose the same.)
 */
export function RecordingAudio({ recordingId, ref }: { recordingId: string; ref?: Ref<HTMLAudioElement> }) {
  const t = useT();
  const [result, reexecute] = useQuery({ query: RecordingPlaybackQuery, variables: { id: recordingId } });
  if (result.error) return <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />;
  const url = result.data?.recordingPlaybackUrl.url;
  if (!url) return <p>{t('app.loading')}</p>;
  // A call recording has no caption track (there is no transcript to show).
  // eslint-disable-next-line jsx-a11y/media-has-caption
  return <audio ref={ref} className="qa-audio" controls preload="metadata" src={url} aria-label={t('qa.recording')} />;
}
