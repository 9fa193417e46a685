import { graphql } from '../../../gql';

export const MissedCallsQuery = graphql(`
  query AgentMissedCalls {
    missedCalls(status: OPEN, first: 50) {
      nodes {
        id
        number
        waitMs
        createdAt
        assignee {
          id
          email
          displayName
        }
      }
    }
    dispositions {
      id
      code
      label
    }
  }
`);

export const NotificationsQuery = graphql(`
  query AgentNotifications {
    notifications(unreadOnly: true, first: 50) {
      nodes {
        id
        kind
        title
        body
        createdAt
      }
    }
  }
`);

export const WorkListChangesSubscription = graphql(`
  subscription AgentWorkListChanges {
    workListChanges {
      kind
      missedCall {
        id
        status
      }
      notification {
        id
      }
    }
  }
`);

export const AssignMissedCallMutation = graphql(`
  mutation AssignMissedCall($id: ID!, $assigneeId: ID) {
    assignMissedCall(id: $id, assigneeId: $assigneeId) {
      id
      assignee {
        id
      }
    }
  }
`);

export const CloseMissedCallMutation = graphql(`
  mutation CloseMissedCall($id: ID!, $disposition: String!) {
    closeMissedCall(id: $id, disposition: $disposition) {
      id
      status
    }
  }
`);

export const MarkNotificationReadMutation = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      id
      readAt
    }
  }
`);
