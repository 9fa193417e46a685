"""The contact center the journeys run in: one tenant per locust process, set up once
(outside the measured requests) through the public GraphQL API.

It has a queue, a ticket category, agents with routing profiles, customers with phone
numbers for screen pops, and an admin API key for the integrator journey.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

AGENTS = 40
CUSTOMERS = 200
PASSWORD = "load test password 0123"  # noqa: S105 - accounts made by the load test


@dataclass
class Agent:
    """One agent's login."""

    email: str
    user_id: str


@dataclass
class Center:
    """What the setup made; the journeys read it."""

    tenant_slug: str
    owner_token: str
    queue_id: str
    ticket_category_id: str
    api_key: str
    agents: list[Agent]
    phones: list[str]
    _next_agent: Any = field(default=None, repr=False)

    def next_agent(self) -> Agent:
        """Agents in turn (journeys outnumbering agents share them)."""
        if self._next_agent is None:
            self._next_agent = itertools.cycle(self.agents)
        return next(self._next_agent)


class SetupError(RuntimeError):
    """The center could not be set up (the API answered with errors)."""


def _gql(host: str, query: str, variables: dict[str, Any], token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(
        f"{host}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise SetupError(body["errors"])
    return body["data"]


def phone_number(n: int) -> str:
    """The ``n``th customer's number (a valid London E.164 number)."""
    return f"+44 20 7{n:07d}"


def set_up(host: str) -> Center:
    """Sign up a tenant and give it agents, a queue, tickets and customers."""
    tag = uuid.uuid4().hex[:8]
    signed = _gql(
        host,
        """mutation($input: SignUpInput!) { signUp(input: $input) { token tenant { slug } } }""",
        {"input": {"tenantName": f"Load {tag}", "adminEmail": f"owner-{tag}@load.test",
                   "adminPassword": PASSWORD}},
    )["signUp"]  # fmt: skip
    token = signed["token"]
    queue = _gql(
        host,
        "mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }",
        {"input": {"name": "Support", "slThresholdS": 20, "shortAbandonS": 5}},
        token,
    )["createQueue"]["id"]
    category = _gql(
        host,
        """mutation($input: TicketCategoryInput!) { createTicketCategory(input: $input) { id } }""",
        {
            "input": {
                "name": "Call follow-up",
                "steps": [{"name": "Triage", "slaSeconds": 3600, "role": "AGENT"}],
            }
        },
        token,
    )["createTicketCategory"]["id"]
    key = _gql(
        host,
        "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }",
        {"input": {"name": "crm sync", "role": "ADMIN"}},
        token,
    )["createApiKey"]["secret"]
    agents = []
    for n in range(AGENTS):
        email = f"agent-{n}-{tag}@load.test"
        user = _gql(
            host,
            "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
            {"input": {"email": email, "password": PASSWORD, "role": "AGENT"}},
            token,
        )["createUser"]["id"]
        _gql(
            host,
            """mutation($input: CreateAgentProfileInput!) {
                 createAgentProfile(input: $input) { id } }""",
            {"input": {"userId": user, "queueIds": [queue], "sipUser": f"a{n}x{tag}"}},
            token,
        )
        agents.append(Agent(email=email, user_id=user))
    phones = [phone_number(n) for n in range(CUSTOMERS)]
    for n, phone in enumerate(phones):
        _gql(
            host,
            "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }",
            {"input": {"name": f"Customer {n}", "phones": [phone], "company": "Load Ltd"}},
            token,
        )
    return Center(signed["tenant"]["slug"], token, queue, category, key, agents, phones)


_lock = threading.Lock()
_centers: dict[str, Center] = {}


def center_for(host: str) -> Center:
    """The process's center for ``host``, set up by the first journey that asks."""
    with _lock:
        if host not in _centers:
            _centers[host] = set_up(host)
        return _centers[host]
