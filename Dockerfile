# The web and worker image used by compose.yml.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY config ./config
COPY community ./community
COPY ideas ./ideas
COPY cms ./cms
COPY realtime ./realtime
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./
RUN pip install . \
    && DJANGO_DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build STARTUP_CHECK=false \
       python manage.py collectstatic --noinput

RUN useradd --create-home civic && mkdir -p /app/var && chown civic /app/var
USER civic
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "config.asgi:application"]
