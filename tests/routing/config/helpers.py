"""Helpers for routing-configuration tests: GraphQL documents, users, numbers."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import phonenumbers

from tests.conftest import GraphQL, TenantAccount

SKILL_FIELDS = "id name"
QUEUE_FIELDS = """
id name priority slThresholdS shortAbandonS slFormula maxWaitS maxWaitAction overflowQueueId
wrapupS ringTimeoutS maxSize record requireDisposition closedAction closedCode blacklistCode
vipBoost stickyAgentS
requiredSkills { skill { id name } minLevel }
hours { tz windows { day start end } }
"""
NUMBER_FIELDS = "id number raw queueId description"
PROFILE_FIELDS = """
id userId displayName role sipUser
skills { skill { id name } level }
queues { id name }
"""

CREATE_SKILL = f"""
mutation($name: String!) {{ createSkill(input: {{name: $name}}) {{ {SKILL_FIELDS} }} }}"""
UPDATE_SKILL = f"""
mutation($input: UpdateSkillInput!) {{ updateSkill(input: $input) {{ {SKILL_FIELDS} }} }}"""
DELETE_SKILL = "mutation($id: ID!) { deleteSkill(id: $id) }"
SKILLS = f"{{ skills(first: 50) {{ edges {{ node {{ {SKILL_FIELDS} }} }} }} }}"

CREATE_QUEUE = f"""
mutation($input: CreateQueueInput!) {{ createQueue(input: $input) {{ {QUEUE_FIELDS} }} }}"""
UPDATE_QUEUE = f"""
mutation($input: UpdateQueueInput!) {{ updateQueue(input: $input) {{ {QUEUE_FIELDS} }} }}"""
DELETE_QUEUE = "mutation($id: ID!) { deleteQueue(id: $id) }"
QUEUES = f"{{ queues(first: 50) {{ edges {{ node {{ {QUEUE_FIELDS} }} }} }} }}"
QUEUE = f"query($id: ID!) {{ queue(id: $id) {{ {QUEUE_FIELDS} }} }}"

CREATE_NUMBER = f"""
mutation($input: CreatePhoneNumberInput!) {{
  createPhoneNumber(input: $input) {{ {NUMBER_FIELDS} }}
}}"""
UPDATE_NUMBER = f"""
mutation($input: UpdatePhoneNumberInput!) {{
  updatePhoneNumber(input: $input) {{ {NUMBER_FIELDS} }}
}}"""
DELETE_NUMBER = "mutation($id: ID!) { deletePhoneNumber(id: $id) }"
NUMBERS = f"{{ phoneNumbers(first: 50) {{ edges {{ node {{ {NUMBER_FIELDS} }} }} }} }}"

CREATE_PROFILE = f"""
mutation($input: CreateAgentProfileInput!) {{
  createAgentProfile(input: $input) {{ {PROFILE_FIELDS} }}
}}"""
UPDATE_PROFILE = f"""
mutation($input: UpdateAgentProfileInput!) {{
  updateAgentProfile(input: $input) {{ {PROFILE_FIELDS} }}
}}"""
DELETE_PROFILE = "mutation($id: ID!) { deleteAgentProfile(id: $id) }"
PROFILES = f"{{ agentProfiles(first: 50) {{ edges {{ node {{ {PROFILE_FIELDS} }} }} }} }}"

UPDATE_SETTINGS = """
mutation($input: UpdateRoutingSettingsInput!) {
  updateRoutingSettings(input: $input) { maxConcurrentCalls defaultRegion }
}"""
SETTINGS = "{ routingSettings { maxConcurrentCalls defaultRegion } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id email role } }"""
LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token user { id } } }"""


def ok(body: dict[str, Any]) -> dict[str, Any]:
    """The data of a response that must have no errors."""
    assert "errors" not in body, body["errors"]
    return body["data"]


def raw_id(global_id: str) -> str:
    """The row UUID inside a global id (what Redis keys use)."""
    from tenants.graphql.relay import from_global_id

    return str(from_global_id(global_id)[1])


def tenant_uuid(account: TenantAccount) -> str:
    """The tenant's UUID."""
    return raw_id(account.tenant_id)


_used_numbers: set[str] = set()


def fresh_number() -> str:
    """A valid US E.164 number no other test of this run has used."""
    while True:
        candidate = f"+1415{random.randint(200, 999)}{random.randint(0, 9999):04d}"
        if candidate in _used_numbers:
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            _used_numbers.add(candidate)
            return candidate


@dataclass(frozen=True)
class Member:
    """A user of a tenant with their token."""

    id: str
    token: str
    email: str


async def add_member(gql: GraphQL, account: TenantAccount, role: str, name: str = "") -> Member:
    """Create a user with ``role`` in the tenant and log them in."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery staple"
    created = ok(
        await gql(
            CREATE_USER,
            {
                "input": {
                    "email": email,
                    "password": password,
                    "role": role.upper(),
                    "displayName": name,
                }
            },
            token=account.token,
        )
    )["createUser"]
    login = ok(
        await gql(
            LOG_IN,
            {"input": {"tenantSlug": account.slug, "email": email, "password": password}},
        )
    )["logIn"]
    return Member(id=created["id"], token=login["token"], email=email)


async def create_skill(gql: GraphQL, account: TenantAccount, name: str) -> dict[str, Any]:
    """A new skill of the tenant."""
    return ok(await gql(CREATE_SKILL, {"name": name}, token=account.token))["createSkill"]


async def create_queue(gql: GraphQL, account: TenantAccount, **fields: Any) -> dict[str, Any]:
    """A new queue of the tenant."""
    fields.setdefault("name", f"Queue {uuid.uuid4().hex[:6]}")
    return ok(await gql(CREATE_QUEUE, {"input": fields}, token=account.token))["createQueue"]


async def create_number(
    gql: GraphQL, account: TenantAccount, queue_id: str, number: str | None = None
) -> dict[str, Any]:
    """A new DID of the tenant routed to ``queue_id``."""
    body = await gql(
        CREATE_NUMBER,
        {"input": {"number": number or fresh_number(), "queueId": queue_id}},
        token=account.token,
    )
    return ok(body)["createPhoneNumber"]
