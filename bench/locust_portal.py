"""Locust users for bench/portal_load: workers and a contact person on the production-like stack,
and the bare "hello" app for the baseline. Run by bench/portal_load, not by hand.

Worker: logs in once, then opens the dashboard (3x) and saves the answers of an open evaluation
(1x: the evaluation form's first step, posted as the browser posts it). Now and then a worker logs
out and in again, so log-ins are measured under load too. Contact person: the caseload page of a
contact person with the large demo caseload (bench/portal_load seeds it).
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from pathlib import Path

from locust import HttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.demo import DEMO_PASSWORD as PASSWORD  # noqa: E402
from tests.support.html_forms import post_forms  # noqa: E402
from tests.support.stack import CSRF_PATTERN as CSRF  # noqa: E402
from tests.support.two_factor import SECOND_STEP_PATH, demo_codes  # noqa: E402

CONTACT = "f.elamrani@wsp-demo.nl"
CASELOAD = int(os.environ.get("BENCH_CASELOAD", "200"))
OPEN_MOMENT = re.compile(r'href="/evaluaties/(\d+)/invullen"')
_numbers = itertools.count()


def log_in(client, email: str) -> None:
    page = client.get("/inloggen", name="log-in page")
    token = CSRF.search(page.text).group(1)
    response = client.post(
        "/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token}, name="log-in"
    )
    if response.url.endswith(SECOND_STEP_PATH):  # staff: the code from the "app"
        token = CSRF.search(response.text).group(1)
        code = demo_codes.code(client.base_url, email)
        response = client.post(
            SECOND_STEP_PATH, data={"code": code, "csrf_token": token}, name="log-in code"
        )
    if not response.url.endswith("/dashboard"):
        raise RuntimeError(f"log-in of {email} failed")


# The contact person's users share one log-in: a code from the app works once per 30 seconds.
_contact_cookies: dict[str, str] = {}


class Worker(HttpUser):
    weight = 4
    wait_time = constant(0)  # closed loop: each user sends its next request at once

    def on_start(self):
        self.email = f"werknemer-{next(_numbers) % CASELOAD + 1:04d}@caseload-demo.nl"
        log_in(self.client, self.email)
        overview = self.client.get("/evaluaties/", name="evaluations")
        found = OPEN_MOMENT.search(overview.text)
        self.moment = found.group(1) if found else None

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard", name="dashboard (worker)")

    @task(1)
    def evaluation(self):
        if self.moment is None:
            return
        path = f"/evaluaties/{self.moment}/invullen?stap=0"
        page = self.client.get(path, name="evaluation form")
        forms = [f for f in post_forms(page.text, path) if "/invullen" in f.action]
        if not forms:
            return
        data: dict[str, str] = {}
        for field in forms[0].fields:
            if field.kind == "radio":
                data.setdefault(field.name, field.value)  # the first option of each question
            elif field.kind in ("hidden", "text", "textarea") and field.name not in data:
                data[field.name] = field.value or "gaat goed"
        data["action"] = "save"
        with self.client.post(
            path, data=data, name="evaluation answers saved", catch_response=True
        ) as response:
            if "/evaluaties" not in response.url or response.status_code != 200:
                response.failure(f"not saved: {response.status_code}")

    @task(1)
    def log_out_and_in(self):
        token = CSRF.search(self.client.get("/dashboard", name="dashboard (worker)").text)
        self.client.post("/uitloggen", data={"csrf_token": token.group(1)}, name="log-out")
        log_in(self.client, self.email)


class ContactPerson(HttpUser):
    weight = 1
    wait_time = constant(0)

    def on_start(self):
        if not _contact_cookies:
            log_in(self.client, CONTACT)
            _contact_cookies.update(self.client.cookies.get_dict())
        self.client.cookies.update(_contact_cookies)

    @task
    def caseload(self):
        self.client.get("/dashboard", name=f"caseload ({CASELOAD}+ workers)")


class Hello(HttpUser):
    """The baseline: a bare Flask app under the same gunicorn settings."""

    wait_time = constant(0)

    @task
    def hello(self):
        self.client.get("/", name="hello")
