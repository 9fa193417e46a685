# The app image: API, routing, worker and migrations (`hotline …`), as the Helm chart runs
# them. Build from the repository root:
#   docker build -f infra/docker/app.Dockerfile -t hotline/app:0.1.0 .
# Everything is installed at build time; nothing is fetched when a container starts.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

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
# The browser apps (agent desktop, softphone), served by the API.
COPY --chown=0:0 web /opt/hotline/web
WORKDIR /opt/hotline
USER 10001:10001
EXPOSE 8000 8100 8200
ENTRYPOINT ["hotline"]
CMD ["--help"]
