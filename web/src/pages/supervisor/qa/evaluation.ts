import { graphql } from '../../../gql';
import type { QaEvaluationFieldsFragment } from '../../../gql/graphql';

export type Evaluation = QaEvaluationFieldsFragment;

/** What the QA pages read of an evaluation: its scorecard version, answers and comments. */
export const QaEvaluationFields = graphql(`
  fragment QaEvaluationFields on QaEvaluation {
    id
    status
    recordingId
    callId
    callAt
    agentId
    score
    autoFailed
    overallComment
    disputeReason
    submittedAt
    answers {
      questionId
      value
      na
    }
    comments {
      offsetSeconds
      text
    }
    scorecard {
      id
      name
      version
      sections {
        title
        questions {
          id
          text
          type
          scaleMax
          allowNa
          weight
          autoFail
        }
      }
    }
  }
`);

/** "1:05" for 65 seconds: how a comment's moment in the recording is shown. */
export function formatOffset(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}
