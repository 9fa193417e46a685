"""An agent's day: sign in, go available, take screen pops, write tickets, take breaks."""

from __future__ import annotations

import random

from locust import between, task

from loadtest.scenarios.center import PASSWORD, center_for
from loadtest.scenarios.graphql import GraphQLUser

LOG_IN = """mutation($input: LogInInput!) { logIn(input: $input) { token user { id } } }"""
SET_STATE = """mutation($input: SetAgentStateInput!) {
  setAgentState(input: $input) { state secondsInState } }"""
SCREEN_POP = """query($number: String!) { lookupCaller(number: $number) {
  customer { id name } openTickets { id number subject } recentCalls { callId } } }"""
CREATE_TICKET = (
    """mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }"""
)
COMMENT = (
    """mutation($id: ID!, $body: String!) { addTicketComment(ticketId: $id, body: $body) { id } }"""
)
MY_TICKETS = """{ tickets(first: 20) { edges { node { id subject status } } } }"""


class AgentDay(GraphQLUser):
    """One agent at the desktop; the wait between steps is the call's pace."""

    wait_time = between(1, 3)
    weight = 6

    def on_start(self) -> None:
        self.center = center_for(self.host)
        agent = self.center.next_agent()
        data = self.gql(
            "[Agent Day] 1. Log In",
            LOG_IN,
            {"input": {"tenantSlug": self.center.tenant_slug, "email": agent.email,
                       "password": PASSWORD}},
        )  # fmt: skip
        self.token = data.get("logIn", {}).get("token")
        self.gql("[Agent Day] 2. Available", SET_STATE, {"input": {"state": "available"}})

    @task(10)
    def call_with_screen_pop(self) -> None:
        number = random.choice(self.center.phones)
        pop = self.gql("[Agent Day] 3. Screen Pop", SCREEN_POP, {"number": number})
        customer = (pop.get("lookupCaller") or {}).get("customer")
        if random.random() < 0.3:
            created = self.gql(
                "[Agent Day] 4. Create Ticket",
                CREATE_TICKET,
                {"input": {"categoryId": self.center.ticket_category_id,
                           "subject": "Caller asked for a call back", "callerNumber": number,
                           "customerId": customer and customer["id"]}},
            )  # fmt: skip
            ticket = created.get("createTicket")
            if ticket:
                self.gql(
                    "[Agent Day] 5. Comment Ticket",
                    COMMENT,
                    {"id": ticket["id"], "body": "Promised a call back tomorrow."},
                )

    @task(3)
    def my_tickets(self) -> None:
        self.gql("[Agent Day] 6. My Tickets", MY_TICKETS)

    @task(1)
    def coffee_break(self) -> None:
        self.gql(
            "[Agent Day] 7. Break", SET_STATE, {"input": {"state": "break", "reason": "coffee"}}
        )
        self.gql("[Agent Day] 8. Back Available", SET_STATE, {"input": {"state": "available"}})
