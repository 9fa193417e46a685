"""Sign-ups: a new tenant signs up, logs in and reads itself.

Signups and logins are rate-limited per IP; run the API with higher limits for a load
test (``HOTLINE_AUTH_SIGNUP_LIMIT_PER_IP``, ``HOTLINE_AUTH_LOGIN_LIMIT_PER_IP``).
"""

from __future__ import annotations

import uuid

from locust import between, task

from loadtest.scenarios.center import PASSWORD
from loadtest.scenarios.graphql import GraphQLUser

SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) { token tenant { slug } } }"""
LOG_IN = """mutation($input: LogInInput!) { logIn(input: $input) { token } }"""
ME = """{ me { email role } }"""


class SignUp(GraphQLUser):
    """Someone trying Hotline for the first time."""

    wait_time = between(5, 10)
    weight = 1

    @task
    def sign_up(self) -> None:
        email = f"founder-{uuid.uuid4().hex[:10]}@signup.test"
        self.token = None
        data = self.gql(
            "[Sign-up] 1. Sign Up",
            SIGN_UP,
            {"input": {"tenantName": f"Startup {uuid.uuid4().hex[:8]}", "adminEmail": email,
                       "adminPassword": PASSWORD}},
        )  # fmt: skip
        signed = data.get("signUp")
        if not signed:
            return
        logged = self.gql(
            "[Sign-up] 2. Log In",
            LOG_IN,
            {"input": {"tenantSlug": signed["tenant"]["slug"], "email": email,
                       "password": PASSWORD}},
        )  # fmt: skip
        self.token = (logged.get("logIn") or {}).get("token")
        self.gql("[Sign-up] 3. Me", ME)
