"""Routing at run time over GraphQL: agent and supervisor operations on the ACD's Redis
state, subscriptions, and the reader of the tenant's event stream they share."""
