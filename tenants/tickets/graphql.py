"""GraphQL surface of tickets: teams, categories and workflows, tickets and transitions.

Each noun has its module (``categories_graphql``: teams, categories, workflow steps;
``tickets_graphql``; ``comments_graphql``: comments, attachments, history); this one merges
their roots for ``api/graphql/schema.py``, in the order the schema has always listed them.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from tenants.tickets import categories_graphql, comments_graphql, tickets_graphql
from tenants.tickets.categories_graphql import (
    TeamType,
    TicketCategoryType,
    WorkflowStepType,
)
from tenants.tickets.comments_graphql import (
    TicketAttachmentType,
    TicketCommentType,
    TicketHistoryEntryType,
)
from tenants.tickets.tickets_graphql import TicketType

Query = merge_types("Query", (tickets_graphql.Query, categories_graphql.Query))
Mutation = merge_types(
    "Mutation",
    (categories_graphql.Mutation, tickets_graphql.Mutation, comments_graphql.Mutation),
)

NODE_RESOLVERS = {
    **tickets_graphql.NODE_RESOLVERS,
    **categories_graphql.NODE_RESOLVERS,
    **comments_graphql.NODE_RESOLVERS,
}
"""How ``node(id:)`` loads each ticket type, always through the service's tenant checks."""

TYPES = [
    TicketType,
    TeamType,
    TicketCategoryType,
    WorkflowStepType,
    TicketCommentType,
    TicketAttachmentType,
    TicketHistoryEntryType,
]
