# The ITA Portal's image. One image runs every part (compose.yaml): gunicorn serving the portal
# (the default command), the Celery worker and beat, and the migrations. docs/deploy.md says what
# runs where; tests/deploy/test_deploy_files.py lints this file with hadolint.

# Bootstrap, from the npm registry as `make` installs it (package.json, package-lock.json); only
# its dist/ folder goes into the image, for collectstatic.
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

# bin/ensure-system-packages "run": WeasyPrint's Pango and HarfBuzz, and fontconfig, at the
# versions the tests and docs/benchmarks.md ran on (Debian 12). The portal's own font comes
# from the fontpkg-sarabun wheel; DejaVu is fontconfig's fallback for a glyph Sarabun lacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0=1.50.12+ds-1 \
        libpangoft2-1.0-0=1.50.12+ds-1 \
        libharfbuzz-subset0=6.0.0+dfsg-3 \
        libfontconfig1=2.14.1-4 \
        fonts-dejavu-core=2.37-6 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY --from=assets /build/node_modules/bootstrap/dist node_modules/bootstrap/dist
COPY . .

# The code and the collected static files belong to root, read-only for the portal's user, who
# may write only media/ and private/ (used only without object storage: the demo's seal, files
# on a volume) and the nightly backups' folder (BACKUP_DIR in compose.yaml, a volume there).
# collectstatic needs a SECRET_KEY to load the settings; this one signs nothing.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q accounts api ita_portal measures portal publication reports staff \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/ita ita \
    && mkdir -p media private /var/backups/ita-portal \
    && chown ita:ita media private /var/backups/ita-portal

USER 10001:10001

# gunicorn's worker count (WEB_CONCURRENCY, read by gunicorn itself): 2 on the 2 cores
# docs/benchmarks.md measured. Its other settings: deploy/gunicorn.conf.py.
ENV WEB_CONCURRENCY=2
EXPOSE 8000

# This container's own health: what a web server needs to answer (/health/web/: databases,
# cache, file store, broker), not the workers', whose absence must not empty the proxy's pool.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "ita_portal.wsgi"]
