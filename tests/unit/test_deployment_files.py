"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked, and the local
topology (devtools/topology.py) is held to the same settings."""

from __future__ import annotations

import re

import pytest
import yaml

from devtools.processes import ROOT
from devtools.topology import Topology, TopologyOptions

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SECRET_NAMES = ("PASSWORD", "SECRET", "TOKEN")


def test_every_service_of_the_topology_is_there():
    assert set(SERVICES) == {
        "postgres",
        "redis",
        "migrate",
        "portal",
        "reminders",
        "rasa",
        "actions",
    }


@pytest.mark.parametrize("name", ["postgres", "redis", "portal", "rasa", "actions"])
def test_long_running_services_have_a_health_check(name):
    assert "test" in SERVICES[name]["healthcheck"]


def test_the_portal_starts_after_the_migration_step():
    assert SERVICES["portal"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "db upgrade" in " ".join(SERVICES["migrate"]["command"])


def test_no_secret_is_written_in_the_file():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if any(part in key for part in SECRET_NAMES) and key != "MAIL_PASSWORD":
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*)?\}", str(value)), (name, key)
    example = (ROOT / ".env.example").read_text()
    for key in ("POSTGRES_PASSWORD", "SECRET_KEY", "PORTAL_SERVICE_TOKEN"):
        assert f"{key}=" in example


def test_rasa_gets_every_setting_its_production_endpoints_use(tmp_path):
    endpoints = (ROOT / "chatbot" / "endpoints.prod.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_]+)\}", endpoints))
    assert "endpoints.prod.yml" in SERVICES["rasa"]["command"]
    assert used <= set(SERVICES["rasa"]["environment"])
    local = Topology(TopologyOptions(state_dir=tmp_path))  # the settings only, nothing started
    # the action server's address is set for every Rasa process (devtools.processes.rasa_server)
    assert used <= set(local.rasa_env()) | {"ACTION_ENDPOINT_URL"}


def test_the_local_portal_has_the_settings_of_the_container(tmp_path):
    container = set(COMPOSE["x-portal-env"])
    local = Topology(TopologyOptions(state_dir=tmp_path))
    # mail and the WSP's own details have working defaults locally
    optional = {key for key in container if key.startswith(("MAIL_", "WSP_"))}
    assert container - optional <= set(local.portal_env())
    assert local.portal_env()["PORTAL_ENV"] == "production"
