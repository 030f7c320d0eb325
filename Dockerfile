# The portal: gunicorn serving the Flask app. Build from the repository root.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORTAL_ENV=production
WORKDIR /app
COPY pyproject.toml ./
COPY portal ./portal
COPY translations ./translations
COPY babel.cfg ./
COPY deploy/gunicorn.conf.py ./deploy/
RUN pip install --no-cache-dir . && pybabel compile -d translations
COPY --from=assets /build/node_modules/@utrecht/design-tokens/dist/index.css portal/static/vendor/design-tokens.css
COPY --from=assets /build/node_modules/@utrecht/component-library-css/dist/index.css portal/static/vendor/component-library.css
RUN useradd --system --uid 10001 portal && mkdir -p instance && chown portal instance
USER portal
EXPOSE 8000
# 4 workers (WEB_CONCURRENCY), access log by path only: see deploy/gunicorn.conf.py
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "portal.wsgi:app"]
