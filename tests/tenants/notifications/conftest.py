"""Helpers for notification tests: every notification a user sees, page by page."""

from __future__ import annotations

from tests.conftest import GraphQL

NOTIFICATIONS = """
query($after: String) {
  notifications(first: 100, after: $after) {
    edges { node { id kind title subjectId readAt } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def all_notifications(gql: GraphQL, token: str) -> list[dict]:
    """Every notification of the token's user, across pages."""
    found: list[dict] = []
    after = None
    while True:
        body = await gql(NOTIFICATIONS, {"after": after}, token=token)
        assert "errors" not in body, body
        conn = body["data"]["notifications"]
        found += [edge["node"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return found
        after = conn["pageInfo"]["endCursor"]
