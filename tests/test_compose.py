"""compose.yml, the Dockerfile and the settings agree on services and environment."""

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from config import env

ROOT = Path(__file__).resolve().parent.parent
compose = yaml.safe_load((ROOT / "compose.yml").read_text())
services = compose["services"]


def _env(service: str) -> dict:
    return services[service]["environment"]


def test_compose_has_the_production_topology():
    assert {"postgres", "redis", "web", "worker", "scheduler", "migrate", "proxy"} <= set(services)


def test_web_can_scale_to_several_replicas_behind_the_proxy():
    web = services["web"]
    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web, "fixed host ports would stop web from scaling"
    assert services["proxy"]["ports"]


def test_long_running_services_have_health_checks():
    for name in ("postgres", "redis", "web", "worker", "scheduler"):
        assert services[name].get("healthcheck"), f"{name} has no health check"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_app_environment_uses_only_variables_the_settings_read():
    for service in ("web", "worker", "scheduler", "migrate"):
        unknown = set(_env(service)) - set(env.VARIABLES)
        assert not unknown, f"{service} sets variables the code never reads: {unknown}"


def test_app_environment_sets_every_variable_production_requires():
    required = {name for name, var in env.VARIABLES.items() if var.required_in_production}
    for service in ("web", "worker", "scheduler", "migrate"):
        missing = required - set(_env(service))
        assert not missing, f"{service} lacks {missing}"
    assert _env("web")["DJANGO_DEBUG"] == "false"


def test_backing_service_urls_point_at_the_compose_services_and_parse():
    web = _env("web")
    database_url = web["DATABASE_URL"].replace("${POSTGRES_PASSWORD:-civic}", "civic")
    assert urlsplit(database_url).hostname == "postgres"
    assert env.database_config(database_url)["ENGINE"] == "django.db.backends.postgresql"
    assert urlsplit(web["REDIS_URL"]).hostname == "redis"
    assert env.redis_url(web["REDIS_URL"])
    postgres = services["postgres"]["environment"]
    assert urlsplit(database_url).path.lstrip("/") == postgres["POSTGRES_DB"]
    assert urlsplit(database_url).username == postgres["POSTGRES_USER"]


def test_web_and_worker_run_the_commands_the_cluster_runs():
    assert services["web"]["command"][0] == "daphne"
    assert services["web"]["command"][-1] == "config.asgi:application"
    assert services["worker"]["command"][-1] == "task_worker"
    assert "open_data_scheduler" in services["scheduler"]["command"]


def test_web_and_worker_share_the_media_volume_for_the_open_data_download():
    for name in ("web", "worker"):
        assert "media:/app/var/media" in services[name]["volumes"]


def test_dockerfile_ships_every_app_package():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in (
        "config",
        "community",
        "ideas",
        "cms",
        "realtime",
        "api",
        "templates",
        "static",
    ):
        assert f"COPY {package} " in dockerfile, f"Dockerfile does not copy {package}/"
