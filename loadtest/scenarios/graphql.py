"""GraphQL over locust's HTTP client: a request fails when the answer carries errors."""

from __future__ import annotations

from typing import Any

from locust import HttpUser


class GraphQLUser(HttpUser):
    """A locust user that speaks Hotline's GraphQL (``Authorization: Bearer``)."""

    abstract = True
    token: str | None = None

    def gql(self, name: str, query: str, variables: dict[str, Any] | None = None) -> dict:
        """Post ``query`` as request ``name``; returns ``data`` ({} on failure)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        with self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return {}
            body = response.json()
            if body.get("errors"):
                error = body["errors"][0]
                code = (error.get("extensions") or {}).get("code", "")
                response.failure(f"{code} {error.get('message', '')}".strip())
                return {}
            return body.get("data") or {}
