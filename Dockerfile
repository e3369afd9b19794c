# The production image: pinned dependencies from requirements.lock (hashes checked), the application, and
# static files collected with production settings. Build: `docker build -t casework .`
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    PYTHONPATH=/app

WORKDIR /app
RUN useradd --create-home --uid 1000 casework

# WeasyPrint (letters as PDF) draws text with Pango and HarfBuzz; the slim image has neither, nor any font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, from the lock file alone: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

# Then the application (.dockerignore keeps .env, .git, the virtualenv and local data out). It runs from /app
# (PYTHONPATH), so it needs no install step of its own.
COPY . .
RUN DJANGO_ENV=production ALLOWED_HOSTS=build \
    SECRET_KEY=build-only-secret-key-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --no-input \
 && mkdir -p /app/var/media && chown -R casework /app/var

USER casework
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
