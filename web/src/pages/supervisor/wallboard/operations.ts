import { graphql } from '../../../gql';

// The wallboard's typed operations: a snapshot (queues, their status, agents), then
// `liveChanges`; today's figures per queue; the supervisor's actions.

export const WallboardQueuesQuery = graphql(`
  query WallboardQueues($first: Int!, $after: String) {
    queues(first: $first, after: $after) {
      nodes {
        id
        name
        slThresholdS
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const WallboardQueueStatusQuery = graphql(`
  query WallboardQueueStatus($queueId: ID!) {
    queueStatus(queueId: $queueId) {
      queueId
      waiting
      longestWaitSeconds
    }
  }
`);

export const WallboardAgentsQuery = graphql(`
  query WallboardAgents($first: Int!, $after: String) {
    agents(first: $first, after: $after) {
      nodes {
        ...WallboardAgent
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const WallboardAgentFragment = graphql(`
  fragment WallboardAgent on AgentStatus {
    agentId
    displayName
    state
    secondsInState
    callId
    queueIds
    call {
      ...WallboardCall
    }
  }
`);

export const WallboardCallFragment = graphql(`
  fragment WallboardCall on AgentCall {
    callId
    from
    queueId
    answeredAt
    customerName
  }
`);

export const WallboardLiveChanges = graphql(`
  subscription WallboardLiveChanges {
    liveChanges {
      __typename
      ... on QueueChange {
        event
        at
        status {
          queueId
          waiting
          longestWaitSeconds
        }
      }
      ... on AgentStateChange {
        agentId
        displayName
        state
        callId
        since
        queueIds
        call {
          ...WallboardCall
        }
      }
    }
  }
`);

export const WallboardTodayQuery = graphql(`
  query WallboardToday($queueId: ID!, $timeZone: String) {
    realtime(queueId: $queueId, timeZone: $timeZone) {
      today {
        offered
        abandoned
        serviceLevel
        abandonmentRate
      }
    }
  }
`);

export const WallboardBreakReasonsQuery = graphql(`
  query WallboardBreakReasons {
    breakReasons {
      id
      name
    }
  }
`);

export const SetAgentStateMutation = graphql(`
  mutation WallboardSetAgentState($input: SetAgentStateInput!) {
    setAgentState(input: $input) {
      ...WallboardAgent
    }
  }
`);

export const SignInToQueueMutation = graphql(`
  mutation WallboardSignIn($input: QueueMembershipInput!) {
    signInToQueue(input: $input) {
      ...WallboardAgent
    }
  }
`);

export const SignOutOfQueueMutation = graphql(`
  mutation WallboardSignOut($input: QueueMembershipInput!) {
    signOutOfQueue(input: $input) {
      ...WallboardAgent
    }
  }
`);

export const HangUpCallMutation = graphql(`
  mutation WallboardHangUp($callId: ID!) {
    hangUpCall(callId: $callId) {
      call {
        callId
      }
    }
  }
`);
