"""An integrator's CRM sync over GraphQL with an API key: reads, writes and imports."""

from __future__ import annotations

import random
import uuid

from locust import between, task

from loadtest.scenarios.center import center_for, phone_number
from loadtest.scenarios.graphql import GraphQLUser

LIST = """query($after: String) { customers(first: 50, after: $after) {
  edges { node { id name phones { e164 } } } pageInfo { hasNextPage endCursor } } }"""
BY_PHONE = """query($phone: String!) { customers(filter: {phone: $phone}, first: 5) {
  edges { node { id name } } } }"""
CREATE = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }"""
UPDATE = """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { id } }"""
IMPORT = """mutation($input: ImportCustomersInput!) { importCustomers(input: $input) {
  rows created updated unchanged skipped } }"""


class Integrator(GraphQLUser):
    """A CRM connector: pages through customers, upserts and imports batches."""

    wait_time = between(0.5, 2)
    weight = 2

    def on_start(self) -> None:
        self.center = center_for(self.host)
        self.token = self.center.api_key

    @task(5)
    def read(self) -> None:
        page = self.gql("[Integrator CRM] 1. List Customers", LIST)
        connection = page.get("customers") or {}
        if connection.get("pageInfo", {}).get("hasNextPage"):
            self.gql(
                "[Integrator CRM] 2. Next Page",
                LIST,
                {"after": connection["pageInfo"]["endCursor"]},
            )
        self.gql(
            "[Integrator CRM] 3. Find By Phone",
            BY_PHONE,
            {"phone": random.choice(self.center.phones)},
        )

    @task(2)
    def write(self) -> None:
        created = self.gql(
            "[Integrator CRM] 4. Create Customer",
            CREATE,
            {"input": {"name": f"Lead {uuid.uuid4().hex[:6]}", "company": "Prospect GmbH",
                       "externalId": uuid.uuid4().hex}},
        )  # fmt: skip
        customer = created.get("createCustomer")
        if customer:
            self.gql(
                "[Integrator CRM] 5. Update Customer",
                UPDATE,
                {"input": {"id": customer["id"], "tags": ["synced"]}},
            )

    @task(1)
    def import_batch(self) -> None:
        base = random.randrange(100_000, 900_000)
        rows = "\n".join(
            f"Imported {base + n},Import Co,{phone_number(50_000 + (base + n) % 40_000)},"
            f"ext-{base + n}"
            for n in range(25)
        )
        self.gql(
            "[Integrator CRM] 6. Import 25 Rows",
            IMPORT,
            {"input": {"csv": "Name,Company,Tel,Id\n" + rows,
                       "mapping": {"Name": "name", "Company": "company", "Tel": "phone",
                                   "Id": "external_id"}}},
        )  # fmt: skip
