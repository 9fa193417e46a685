"""GraphQL surface of QA: scorecards, evaluations and the QA report, merged in schema order."""

from __future__ import annotations

from strawberry.tools import merge_types

from analytics.quality.evaluations import graphql as evaluations
from analytics.quality.report import graphql as report
from analytics.quality.scorecards import graphql as scorecards

Query = merge_types("QualityQuery", (scorecards.Query, evaluations.Query, report.Query))
Mutation = merge_types("QualityMutation", (scorecards.Mutation, evaluations.Mutation))
TYPES: list[type] = [*scorecards.TYPES, *evaluations.TYPES, *report.TYPES]
NODE_RESOLVERS: dict = {**scorecards.NODE_RESOLVERS, **evaluations.NODE_RESOLVERS}
