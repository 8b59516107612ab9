"""``make run-cluster`` (``config.cluster.main``) collects static files before it serves:
with debug off, pages are served through the static manifest, and without it every page
answered 500 "Missing staticfiles manifest" (issue: production without Docker)."""

from config import cluster as cluster_module


class _Exited:
    def poll(self):
        return 0


def test_run_cluster_collects_static_files_before_preparing_and_serving(monkeypatch, capsys):
    steps: list[tuple[str, ...]] = []

    def start(self, timeout: float = 60) -> None:
        steps.append(("start",))
        self.processes = [_Exited()]

    monkeypatch.setattr(cluster_module.Cluster, "_manage", lambda self, *a: steps.append(a))
    monkeypatch.setattr(cluster_module.Cluster, "prepare", lambda self: steps.append(("prepare",)))
    monkeypatch.setattr(cluster_module.Cluster, "start", start)
    monkeypatch.setattr(cluster_module.Cluster, "stop", lambda self: steps.append(("stop",)))

    cluster_module.main()

    assert steps[0] == ("collectstatic", "--noinput", "-v0")
    assert steps.index(("prepare",)) < steps.index(("start",)) < steps.index(("stop",))
    assert "Collecting static files" in capsys.readouterr().out
