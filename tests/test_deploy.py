"""The deployment files in deploy/ (docs/deploy.md) are read here as their programs read them, and hold what the
platform promises: no client address in any log, request bodies capped as the application caps them, the scheduled
jobs the platform needs and nothing that does not exist."""

import configparser
import re
import runpy
import shlex
from pathlib import Path
from typing import Any

from croniter import croniter
from django.conf import settings
from django.core.management import get_commands
from gunicorn.config import Config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def nginx_parse(text: str) -> list[Any]:
    """nginx's configuration as nested lists: [name, args, children]. Quotes, comments and blocks as nginx reads
    them; enough to check what each directive says."""
    tokens = re.findall(r"#[^\n]*|'[^']*'|\"[^\"]*\"|[{};]|[^\s{};'\"]+", text)
    stack: list[list[Any]] = [[]]
    words: list[str] = []
    for token in tokens:
        if token.startswith("#"):
            continue
        if token == ";":
            stack[-1].append([words[0], words[1:], None])
            words = []
        elif token == "{":
            block: list[Any] = []
            stack[-1].append([words[0], words[1:], block])
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"a directive without ';' before '}}': {words}"
            stack.pop()
        else:
            words.append(token.strip("'\""))
    assert len(stack) == 1 and not words, "unbalanced braces or a directive without ';'"
    return stack[0]


def directives(tree: list[Any], name: str) -> list[list[str]]:
    found = []
    for directive, args, children in tree:
        if directive == name:
            found.append(args)
        if children is not None:
            found += directives(children, name)
    return found


ADDRESS_VARIABLES = ("$remote_addr", "$binary_remote_addr", "$http_x_forwarded_for", "$proxy_add_x_forwarded_for",
                     "$realip_remote_addr", "$http_x_real_ip", "$request_uri", "$args", "$query_string")  # fmt: skip


def test_nginx_logs_no_client_address_and_caps_request_bodies() -> None:
    tree = nginx_parse((DEPLOY / "nginx.conf").read_text())
    formats = {args[0]: " ".join(args[1:]) for args in directives(tree, "log_format")}
    assert formats and not any(v in f for f in formats.values() for v in ADDRESS_VARIABLES)
    for args in directives(tree, "access_log"):
        # "off", or a file with one of our own formats (nginx's default "combined" starts with the address).
        assert args == ["off"] or (len(args) == 2 and args[1] in formats), args
    for args in directives(tree, "error_log"):
        assert args[1] in ("crit", "alert", "emerg"), "below 'crit' nginx writes the client's address"
    (size,) = directives(tree, "client_max_body_size")
    assert int(size[0].rstrip("m")) * 1024 * 1024 <= settings.REQUEST_MAX_BYTES
    headers = {args[0].lower(): args[1] for args in directives(tree, "proxy_set_header")}
    assert headers["x-forwarded-for"] == "" and headers["x-real-ip"] == ""
    assert headers["x-forwarded-proto"] == "$scheme"
    (upstream,) = [children for name, _args, children in tree if name == "upstream"]
    assert len(directives(upstream, "server")) >= 2, "several application servers behind the proxy"


def test_gunicorn_reads_the_configuration_and_writes_no_access_log() -> None:
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name, value in values.items():
        if not name.startswith("_"):
            assert name in config.settings, f"gunicorn has no setting {name}"
            config.set(name, value)
    assert config.accesslog is None
    assert config.workers >= 2 and config.max_requests > 0
    assert config.preload_app, "the master checks the keys once, before the workers start"


def test_the_systemd_unit_starts_gunicorn_with_that_configuration() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "kenniscentrum.service")
    command = shlex.split(unit["Service"]["ExecStart"])
    assert command[0].endswith("/gunicorn") and command[command.index("-c") + 1] == "deploy/gunicorn.conf.py"
    assert command[-1] == "kenniscentrum.wsgi"
    assert unit["Service"]["EnvironmentFile"] == "/etc/kenniscentrum/env"


def test_the_crontab_runs_existing_commands_on_valid_schedules() -> None:
    commands = get_commands()
    jobs = []
    for line in (DEPLOY / "crontab").read_text().splitlines():
        if not line.strip() or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        fields = line.split(None, 5)
        schedule, command = " ".join(fields[:5]), fields[5]
        assert croniter.is_valid(schedule), line
        name = command.split("./deploy/run ", 1)[1].split()[0]
        assert name in commands, f"no management command {name}"
        jobs.append(name)
    needed = {"send_notifications", "apply_retention", "figures_refresh", "match_persons", "backup",
              "audit_anchor", "audit_verify"}  # fmt: skip
    assert needed <= set(jobs)


def test_postgresql_logs_no_client_address_and_the_standby_follows_the_primary() -> None:
    def read(name: str) -> dict[str, str]:
        pairs = {}
        for line in (DEPLOY / "postgresql" / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                key, value = (part.strip() for part in line.split("=", 1))
                pairs[key] = value.strip("'")
        return pairs

    primary, standby = read("primary.conf"), read("standby.conf")
    for conf in (primary, standby):
        assert "%h" not in conf["log_line_prefix"] and "%r" not in conf["log_line_prefix"]
        assert conf["log_connections"] == "off" and conf["log_hostname"] == "off"
    assert primary["wal_level"] == "replica"
    name = re.search(r"application_name=(\w+)", standby["primary_conninfo"])
    assert name and name.group(1) == primary["synchronous_standby_names"]


def test_the_example_environment_names_every_key_the_platform_needs() -> None:
    names = {line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines() if "=" in line}
    assert {"SECRET_KEY", "DATA_KEYS", "BACKUP_KEY", "AUDIT_SIGNING_KEY", "DATABASE_URL", "BEHIND_PROXY"} <= names
