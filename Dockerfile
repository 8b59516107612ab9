# The web (gunicorn, HTTP), realtime (daphne, websockets) and worker image used by compose.yml.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (their layer is kept while only the code changes), exactly as locked:
# every package at its locked version, each file checked against its hash.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY config ./config
COPY community ./community
COPY ideas ./ideas
COPY cms ./cms
COPY realtime ./realtime
COPY api ./api
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-deps --no-build-isolation . \
    && DJANGO_DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build STARTUP_CHECK=false \
       WEBHOOK_SECRET_KEYS=YnVpbGQtb25seS1rZXktbmV2ZXItdXNlZC1hdC1ydW4= \
       python manage.py collectstatic --noinput

# var/media is a volume shared by web and worker (the open-data download): created here so
# the volume starts owned by the app user.
RUN useradd --create-home civic && mkdir -p /app/var/media && chown -R civic /app/var
USER civic
EXPOSE 8000
# HTTP by default; compose.yml runs the websocket replicas with daphne from the same image.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--backlog", "1024", "--timeout", "30", "--graceful-timeout", "10", "--keep-alive", "5", "--no-control-socket", "config.wsgi:application"]
