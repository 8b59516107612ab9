"""compose.yml, the Dockerfile and the settings agree on services and environment."""

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from config import env
from config.cluster import (
    DAPHNE_OPTIONS,
    GTHREAD_THREADS,
    GUNICORN_OPTIONS,
    LISTEN_BACKLOG,
    SHIPPED_HTTP_SERVER,
)

ROOT = Path(__file__).resolve().parent.parent
compose = yaml.safe_load((ROOT / "compose.yml").read_text())
services = compose["services"]


def _env(service: str) -> dict:
    return services[service]["environment"]


def test_compose_has_the_production_topology():
    assert {
        "postgres",
        "redis",
        "web",
        "realtime",
        "worker",
        "scheduler",
        "migrate",
        "proxy",
    } <= set(services)


def test_web_and_realtime_can_scale_to_several_replicas_behind_the_proxy():
    for name in ("web", "realtime"):
        service = services[name]
        assert service["deploy"]["replicas"] >= 2
        assert "ports" not in service, f"fixed host ports would stop {name} from scaling"
    assert services["proxy"]["ports"]
    assert {"web", "realtime"} <= set(services["proxy"]["depends_on"])


def _locations(conf: str) -> dict[str, str]:
    """location prefix -> the upstream service its proxy_pass reaches (config/nginx.conf)."""
    found, current, variables = {}, None, {}
    for line in conf.splitlines():
        words = line.strip().rstrip(";").split()
        if words[:1] == ["location"]:
            current = words[1]
        elif words[:1] == ["set"] and current:
            variables[words[1]] = urlsplit(words[2]).hostname
        elif words[:1] == ["proxy_pass"] and current:
            target = words[1]
            found[current] = variables.get(target) or urlsplit(target).hostname
    return found


def test_proxy_routes_websockets_to_daphne_and_the_rest_to_gunicorn():
    conf = (ROOT / "config" / "nginx.conf").read_text()
    assert _locations(conf) == {"/ws/": "realtime", "/": "web"}
    ws_block = conf[conf.index("location /ws/") : conf.index("location / ")]
    assert "Upgrade $http_upgrade" in ws_block
    assert "proxy_read_timeout 3600s" in ws_block


def test_long_running_services_have_health_checks():
    for name in ("postgres", "redis", "web", "realtime", "worker", "scheduler"):
        assert services[name].get("healthcheck"), f"{name} has no health check"
    for name in ("web", "realtime"):
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])


def test_app_environment_uses_only_variables_the_settings_read():
    for service in ("web", "realtime", "worker", "scheduler", "migrate"):
        unknown = set(_env(service)) - set(env.VARIABLES)
        assert not unknown, f"{service} sets variables the code never reads: {unknown}"


def test_app_environment_sets_every_variable_production_requires():
    required = {name for name, var in env.VARIABLES.items() if var.required_in_production}
    for service in ("web", "realtime", "worker", "scheduler", "migrate"):
        missing = required - set(_env(service))
        assert not missing, f"{service} lacks {missing}"
    assert _env("web")["DJANGO_DEBUG"] == "false"
    assert _env("realtime")["DJANGO_DEBUG"] == "false"


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


def test_web_realtime_and_worker_run_the_commands_the_cluster_runs():
    web = services["web"]["command"]
    assert web[0] == "gunicorn"
    assert web[-1] == "config.wsgi:application"
    assert web[web.index("--worker-class") + 1] == SHIPPED_HTTP_SERVER == "gthread"
    assert web[web.index("--threads") + 1] == str(GTHREAD_THREADS)
    assert " ".join(GUNICORN_OPTIONS) in " ".join(web)
    assert web[web.index("--backlog") + 1] == str(LISTEN_BACKLOG)
    realtime = services["realtime"]["command"]
    assert realtime[0] == "daphne"
    assert realtime[-1] == "config.asgi:application"
    assert " ".join(DAPHNE_OPTIONS) in " ".join(realtime)
    assert f"backlog={LISTEN_BACKLOG}" in " ".join(realtime)
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert "gunicorn" in cmd and '"gthread"' in cmd and "config.wsgi:application" in cmd
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
