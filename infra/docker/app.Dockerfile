# The app image: API, routing, worker and migrations (`hotline …`), as the Helm chart runs
# them. Build from the repository root:
#   docker build -f infra/docker/app.Dockerfile -t hotline/app:0.1.0 .
# Everything is installed at build time; nothing is fetched when a container starts.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# The web console (web/, Vite): built here, so the runtime image carries no Node.
FROM ${NODE_IMAGE} AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./
RUN npm run build

FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY api ./api
COPY analytics ./analytics
COPY media_plane ./media_plane
COPY routing ./routing
COPY tenants ./tenants
# media_plane/kamailio/hotline.cfg is a symlink into infra/: the wheel carries its content.
COPY infra/kamailio ./infra/kamailio
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOTLINE_VAR_DIR=/var/lib/hotline
RUN groupadd --gid 10001 hotline \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/hotline \
      --shell /usr/sbin/nologin hotline \
 && install -d -o 10001 -g 10001 /var/lib/hotline
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels hotline \
 && pip uninstall --yes pip
# The built web console, served by the API at / (HOTLINE_API_WEB_DIR).
COPY --from=web --chown=0:0 /web/dist /opt/hotline/web/dist
ENV HOTLINE_API_WEB_DIR=/opt/hotline/web/dist
WORKDIR /opt/hotline
USER 10001:10001
EXPOSE 8000 8100 8200
ENTRYPOINT ["hotline"]
CMD ["--help"]
