"""The deployment files agree with the code: what they copy exists, what Rasa's scale-out endpoints read is set,
the commands they run exist. (Building the images needs a registry and a Docker daemon: not done in CI.)"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def scale_variables() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "endpoints.scale.yml").read_text()))


def test_dockerfiles_copy_only_what_exists():
    for dockerfile in DEPLOY.glob("Dockerfile.*"):
        for source in re.findall(r"^COPY (.+) \S+$", dockerfile.read_text(), re.MULTILINE):
            for path in source.split():
                if path != "models/":  # made by `make train` before the build
                    assert (ROOT / path).exists(), f"{dockerfile.name}: {path}"


def test_compose_gives_rasa_everything_the_scale_endpoints_read():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "rasa", "actions", "bot", "admin", "migrate"} <= set(services)
    assert scale_variables() <= set(services["rasa"]["environment"])
    assert services["bot"]["command"] == ["python", "-m", "bot", "telegram"]


def test_kubernetes_config_gives_rasa_everything_the_scale_endpoints_read():
    documents = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "brobygger.yaml").read_text()) if d]
    kinds = {(d["kind"], d["metadata"]["name"]) for d in documents}
    assert {("Deployment", "rasa"), ("Deployment", "actions"), ("Deployment", "bot"), ("Deployment", "admin")} <= kinds
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    secret_keys = set(re.findall(r"\b[A-Z_]{5,}\b", (DEPLOY / "k8s" / "brobygger.yaml").read_text().split("# Secret")[1].split("apiVersion")[0]))
    assert scale_variables() <= set(config) | secret_keys
    replicas = {d["metadata"]["name"]: d["spec"]["replicas"] for d in documents if d["kind"] == "Deployment"}
    assert replicas["rasa"] >= 2 and replicas["actions"] >= 2 and replicas["bot"] >= 2


def test_the_commands_the_deployments_run_exist(capsys):
    for command in (["telegram", "--help"], ["mentors", "--help"], ["admin", "--help"]):
        try:
            main(command)
        except SystemExit as done:  # argparse exits after --help
            assert done.code == 0
    assert "telegram" in capsys.readouterr().out
    from bot.admin.app import create_app

    assert callable(create_app)
