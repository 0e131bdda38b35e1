FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY wirralsafe ./wirralsafe
COPY programmes ./programmes
COPY metrics ./metrics
COPY reports ./reports
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings but no database or real secret.
RUN DEBUG=False SECRET_KEY=collectstatic-only-key-not-used-at-run-time-xxxxxxxxxxxxxxxx \
    python manage.py collectstatic --no-input
RUN useradd --system --uid 1000 wirralsafe \
    && mkdir -p /app/var/uploads && chown -R wirralsafe /app/var
USER wirralsafe
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && gunicorn wirralsafe.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
