"""A supervisor's wallboard (refreshed every few seconds) and reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from locust import between, task

from loadtest.scenarios.center import center_for
from loadtest.scenarios.graphql import GraphQLUser

REALTIME = """{ realtime { waitingNow longestWait agentsByState { state agents }
  today { offered answered serviceLevel abandonmentRate asa } } }"""
QUEUE_STATUS = """query($id: ID!) { queueStatus(queueId: $id) { waiting longestWaitSeconds
  agentsByState { state count } } }"""
AGENTS = (
    """{ agents(first: 100) { edges { node { agentId state secondsInState displayName } } } }"""
)
QUEUE_REPORT = """query($id: ID!, $range: ReportRangeInput!) {
  queueReport(queueId: $id, range: $range) {
    intervalStart offered answered serviceLevel abandonmentRate asa } }"""
TENANT_REPORT = """query($range: ReportRangeInput!) { tenantReport(range: $range) {
  intervalStart offered answered serviceLevel } }"""
HOURLY = """query($range: ReportRangeInput!) {
  hourlyTraffic(range: $range) { hour offered answered } }"""


class Supervisor(GraphQLUser):
    """A supervisor watching the wallboard and now and then opening a report."""

    wait_time = between(2, 5)
    weight = 2

    def on_start(self) -> None:
        self.center = center_for(self.host)
        self.token = self.center.owner_token

    @task(6)
    def wallboard(self) -> None:
        self.gql("[Supervisor] 1. Wallboard Realtime", REALTIME)
        self.gql("[Supervisor] 2. Queue Status", QUEUE_STATUS, {"id": self.center.queue_id})
        self.gql("[Supervisor] 3. Agents", AGENTS)

    @task(1)
    def reports(self) -> None:
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        week = {"start": (end - timedelta(days=7)).isoformat(), "end": end.isoformat(),
                "interval": "DAY"}  # fmt: skip
        self.gql(
            "[Supervisor] 4. Queue Report (7 days)",
            QUEUE_REPORT,
            {"id": self.center.queue_id, "range": week},
        )
        self.gql("[Supervisor] 5. Tenant Report (7 days)", TENANT_REPORT, {"range": week})
        self.gql("[Supervisor] 6. Hourly Traffic", HOURLY, {"range": week})
