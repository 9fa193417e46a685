"""GraphQL surface of analytics: staffing maths, interval reports and saved reports, each in
its own package, merged here in the order the schema lists them."""

from __future__ import annotations

from strawberry.tools import merge_types

from analytics.disposition_reports import graphql as disposition_reports
from analytics.quality import graphql as quality
from analytics.reports import graphql as reports
from analytics.saved_reports import graphql as saved_reports
from analytics.staffing import graphql as staffing

Query = merge_types(
    "AnalyticsQuery",
    (
        staffing.Query,
        reports.Query,
        saved_reports.SavedReportQuery,
        reports.WorkloadQuery,
        quality.Query,
        disposition_reports.Query,
    ),
)
Mutation = merge_types(
    "AnalyticsMutation", (saved_reports.Mutation, reports.Mutation, quality.Mutation)
)

TYPES: list[type] = [
    *staffing.TYPES,
    *reports.TYPES,
    *saved_reports.TYPES,
    *quality.TYPES,
    *disposition_reports.TYPES,
]
NODE_RESOLVERS: dict = {**saved_reports.NODE_RESOLVERS, **quality.NODE_RESOLVERS}
