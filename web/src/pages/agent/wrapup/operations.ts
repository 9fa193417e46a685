import { graphql } from '../../../gql';

export const WrapUpStatusFields = graphql(`
  fragment WrapUpStatusFields on WrapUpStatus {
    state
    since
    callId
    queueId
    wrapUpSeconds
    endsAt
    requireDisposition
    overdue
    disposition {
      id
      code
      label
    }
    call {
      callId
      from
      customerName
    }
  }
`);

export const WrapUpQuery = graphql(`
  query AgentWrapUp {
    wrapUp {
      ...WrapUpStatusFields
    }
    dispositions {
      id
      code
      label
      requiresNote
    }
  }
`);

export const WrapUpChangesSubscription = graphql(`
  subscription AgentWrapUpChanges {
    wrapUpChanges {
      ...WrapUpStatusFields
    }
  }
`);

export const WrapUpCallMutation = graphql(`
  mutation WrapUpCall($input: WrapUpCallInput!) {
    wrapUpCall(input: $input) {
      ...WrapUpStatusFields
    }
  }
`);

export const FinishWrapUpMutation = graphql(`
  mutation FinishWrapUp {
    finishWrapUp {
      ...WrapUpStatusFields
    }
  }
`);
