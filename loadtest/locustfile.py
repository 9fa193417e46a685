"""Hotline's load scenarios, one user class per journey (``loadtest/scenarios/``).

Headless against ``make run`` (raise the sign-up and login limits for the run):

    HOTLINE_AUTH_SIGNUP_LIMIT_PER_IP=1000000 HOTLINE_AUTH_LOGIN_LIMIT_PER_IP=1000000 \\
      HOTLINE_AUTH_LOGIN_LIMIT_PER_ACCOUNT=1000000 make run
    .venv/bin/locust -f loadtest/locustfile.py --headless -H http://127.0.0.1:8000 \\
      -u 50 -r 10 -t 2m --only-summary

locust prints requests per second and the 50th, 95th and 99th percentiles per request;
request names say the journey and the step ("[Agent Day] 3. Screen Pop").
"""

from __future__ import annotations

from loadtest.scenarios.agent_day import AgentDay
from loadtest.scenarios.integrator import Integrator
from loadtest.scenarios.signup import SignUp
from loadtest.scenarios.supervisor import Supervisor

__all__ = ["AgentDay", "Integrator", "SignUp", "Supervisor"]
