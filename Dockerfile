FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

WORKDIR /app
RUN useradd --create-home --uid 1000 casework

COPY pyproject.toml README.md ./
COPY config ./config
COPY casework ./casework
COPY sla ./sla
COPY complaints ./complaints
COPY enquiries ./enquiries
COPY ombudsman ./ombudsman
COPY learning ./learning
COPY reporting ./reporting
RUN pip install --no-cache-dir .

COPY . .
# Static files are collected at build time with throwaway production settings.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build SECRET_KEY=build-only-secret-key-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --no-input \
 && mkdir -p /app/var/media && chown -R casework /app/var

USER casework
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
