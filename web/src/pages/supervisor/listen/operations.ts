import { graphql } from '../../../gql';

// The supervisor's listen-in: its own softphone's credentials, and the listen leg.

export const SupervisorSipCredentialsQuery = graphql(`
  query SupervisorSipCredentials {
    sipCredentials {
      username
      password
      uri
      websocketUrl
      expiresAt
    }
  }
`);

export const ListenToCallMutation = graphql(`
  mutation SupervisorListen($callId: ID!) {
    listenToCall(callId: $callId) {
      listenId
      callId
    }
  }
`);

export const StopListeningMutation = graphql(`
  mutation SupervisorStopListening($listenId: ID!) {
    stopListening(listenId: $listenId) {
      listenId
    }
  }
`);
