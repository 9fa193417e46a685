"""A demo tenant with skills, queues, agents and numbers, published to routing.

``hotline up --simulate`` calls ``seed_demo_tenant`` so a newcomer sees a living center.
It is idempotent: a second call finds the tenant by its slug, re-syncs its routing data
and returns the same description.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from routing.config import repository
from routing.config.agents import service as agents_service
from routing.config.directory import RoutingDirectory
from routing.config.numbers import service as numbers_service
from routing.config.publishing import Publications
from routing.config.queues import service as queues_service
from routing.config.schemas import (
    AgentProfileIn,
    AgentSkillIn,
    MaxWaitAction,
    PhoneNumberIn,
    QueueIn,
    RoutingSettingsIn,
    SkillIn,
    SkillRequirementIn,
)
from routing.config.settings import service as settings_service
from routing.config.skills import service as skills_service
from tenants.database.session import Database, bind_tenant
from tenants.identity import repository as identity_repository
from tenants.identity import service as identity_service
from tenants.identity.principal import Principal
from tenants.identity.rate_limit import RateLimiter
from tenants.identity.roles import Role
from tenants.identity.schemas import SignUpIn, UserCreateIn
from tenants.identity.tokens import TokenSigner

DEMO_PASSWORD = "hotline-demo-password"  # noqa: S105 - a documented demo credential
DEMO_NUMBERS = ("+14155550100", "+14155550101", "+14155550102", "+14155550103")
"""Fictional 555-01xx numbers: General, Sales, Billing, Tech Support."""

_SKILLS = ("Billing", "Technical", "Spanish")
_QUEUES = ("General", "Sales", "Billing", "Tech Support")


@dataclass(frozen=True)
class DemoAgent:
    """A demo agent user and their SIP identity."""

    user_id: uuid.UUID
    email: str
    display_name: str
    sip_user: str
    queue_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class DemoTenant:
    """What the demo seeded, for the simulator and for the login banner."""

    tenant_id: uuid.UUID
    slug: str
    owner_email: str
    password: str
    queues: dict[str, uuid.UUID]
    numbers: dict[str, uuid.UUID]
    agents: tuple[DemoAgent, ...]
    created: bool


def _queue_plans(skills: dict[str, uuid.UUID], general: uuid.UUID) -> list[QueueIn]:
    """Sales, Billing and Tech Support; Billing overflows to General."""

    def needs(name: str, level: int) -> list[SkillRequirementIn]:
        return [SkillRequirementIn(skill_id=skills[name], min_level=level)]

    return [
        QueueIn(name="Sales", priority=5, sl_threshold_s=15, short_abandon_s=5, wrapup_s=5),
        QueueIn(
            name="Billing",
            priority=3,
            required_skills=needs("Billing", 3),
            max_wait_s=90,
            max_wait_action=MaxWaitAction.OVERFLOW,
            overflow_queue_id=general,
            wrapup_s=10,
        ),
        QueueIn(
            name="Tech Support",
            priority=2,
            required_skills=needs("Technical", 5),
            sl_threshold_s=30,
            short_abandon_s=10,
            max_wait_s=180,
            max_wait_action=MaxWaitAction.CALLBACK,
            wrapup_s=15,
            record=True,
            sticky_agent_s=20,
        ),
    ]


async def _create(
    session: AsyncSession,
    *,
    redis: Redis,
    name: str,
    owner_email: str,
    password: str,
    agent_count: int,
    numbers: Sequence[str],
    publications: Publications,
) -> uuid.UUID:
    signed_up = await identity_service.sign_up(
        session=session,
        signup_in=SignUpIn(
            tenant_name=name,
            admin_email=owner_email,
            admin_password=password,
            admin_display_name="Demo Owner",
        ),
        signer=TokenSigner(secrets.token_hex(32), ttl_seconds=60),
        limits=identity_service.RateLimits(
            limiter=RateLimiter(redis, window_seconds=1),
            signup_per_ip=1_000_000,
            login_per_ip=1_000_000,
            login_per_account=1_000_000,
        ),
        client_ip="demo-seed",
    )
    tenant_id = signed_up.tenant.id
    owner = Principal(tenant_id=tenant_id, role=Role.OWNER, user_id=signed_up.user.id)
    common = {"session": session, "principal": owner, "publications": publications}
    await settings_service.update_routing_settings(
        changes_in=RoutingSettingsIn(max_concurrent_calls=0, default_region="US").model_dump(
            by_alias=True
        ),
        **common,
    )
    skills = {}
    for skill_name in _SKILLS:
        skill = await skills_service.create_skill(skill_in=SkillIn(name=skill_name), **common)
        skills[skill_name] = skill.id
    general = await queues_service.create_queue(
        queue_in=QueueIn(name="General", priority=1, wrapup_s=5), **common
    )
    queues = {"General": general.queue.id}
    for plan in _queue_plans(skills, general.queue.id):
        view = await queues_service.create_queue(queue_in=plan, **common)
        queues[plan.name] = view.queue.id
    for e164, queue_name in zip(numbers, _QUEUES, strict=False):
        await numbers_service.create_phone_number(
            number_in=PhoneNumberIn(
                number=e164, queue_id=queues[queue_name], description=f"{queue_name} line"
            ),
            **common,
        )
    for index in range(1, agent_count + 1):
        user = await identity_service.create_user(
            session=session,
            principal=owner,
            user_in=UserCreateIn(
                email=f"agent{index}@hotline.test",
                password=password,
                role=Role.AGENT,
                display_name=f"Agent {index}",
            ),
        )
        levels = [AgentSkillIn(skill_id=skills["Billing"], level=3 + index % 6)]
        served = [queues["General"], queues["Sales"], queues["Billing"]]
        if index % 2 == 0:
            levels.append(AgentSkillIn(skill_id=skills["Technical"], level=4 + index % 5))
            served.append(queues["Tech Support"])
        if index % 3 == 0:
            levels.append(AgentSkillIn(skill_id=skills["Spanish"], level=7))
        await agents_service.create_agent_profile(
            profile_in=AgentProfileIn(user_id=user.id, skills=levels, queue_ids=served),
            **common,
        )
    return tenant_id


async def _describe(
    session: AsyncSession, tenant_id: uuid.UUID, *, owner_email: str, password: str, created: bool
) -> DemoTenant:
    await bind_tenant(session, tenant_id)
    tenant = await identity_repository.tenant_by_id(session, tenant_id)
    assert tenant is not None
    queues = await repository.all_queues(session, tenant_id=tenant_id)
    numbers = await repository.all_phone_numbers(session, tenant_id=tenant_id)
    profiles = await repository.all_agent_profiles(session, tenant_id=tenant_id)
    ids = [p.user_id for p in profiles]
    users = await repository.users_by_ids(session, tenant_id=tenant_id, user_ids=ids)
    served = await repository.agent_queues(session, tenant_id=tenant_id, user_ids=ids)
    agents = sorted(
        (
            DemoAgent(
                user_id=p.user_id,
                email=users[p.user_id].email,
                display_name=users[p.user_id].display_name,
                sip_user=p.sip_user,
                queue_ids=tuple(q.id for q in served.get(p.user_id, [])),
            )
            for p in profiles
        ),
        key=lambda agent: agent.email,
    )
    return DemoTenant(
        tenant_id=tenant_id,
        slug=tenant.slug,
        owner_email=owner_email,
        password=password,
        queues={q.name: q.id for q in queues},
        numbers={n.e164: n.queue_id for n in numbers},
        agents=tuple(agents),
        created=created,
    )


async def seed_demo_tenant(
    *,
    database: Database,
    redis: Redis,
    name: str = "Hotline Demo",
    owner_email: str = "demo@hotline.test",
    password: str = DEMO_PASSWORD,
    agent_count: int = 8,
    numbers: Sequence[str] = DEMO_NUMBERS,
) -> DemoTenant:
    """Create (once) and publish a demo tenant; returns what it holds.

    ``numbers`` are the DIDs of General, Sales, Billing and Tech Support, in that order;
    they must not belong to another tenant.
    """
    slug = identity_service.slugify(name)
    directory = RoutingDirectory(redis)
    async with database.transaction() as session:
        existing = await identity_repository.tenant_by_slug(session, slug)
    if existing is None:
        publications = Publications()
        async with database.transaction() as session:
            tenant_id = await _create(
                session,
                redis=redis,
                name=name,
                owner_email=owner_email,
                password=password,
                agent_count=agent_count,
                numbers=numbers,
                publications=publications,
            )
        await publications.apply(directory)
    else:
        tenant_id = existing.id
        async with database.transaction() as session:
            await directory.sync_tenant(session, tenant_id)
    async with database.transaction() as session:
        return await _describe(
            session,
            tenant_id,
            owner_email=owner_email,
            password=password,
            created=existing is None,
        )
