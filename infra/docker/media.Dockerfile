# The media node image: Debian's Kamailio and rtpengine plus the `hotline` CLI, which
# renders Kamailio's config (`hotline kamailio-config`), runs rtpengine (`hotline
# rtpengine`) and the recordings agent (`hotline recordings`). Build from the repository root:
#   docker build -f infra/docker/media.Dockerfile -t hotline/media:0.1.0 .
# Everything is installed at build time; nothing is fetched when a container starts.
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS wheels
RUN apt-get update \
 && apt-get install --yes --no-install-recommends python3 python3-venv python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY api ./api
COPY analytics ./analytics
COPY media_plane ./media_plane
COPY routing ./routing
COPY tenants ./tenants
COPY infra/kamailio ./infra/kamailio
RUN python3 -m venv /opt/build \
 && /opt/build/bin/pip install --no-cache-dir --upgrade pip wheel \
 && /opt/build/bin/pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${DEBIAN_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/hotline/venv/bin:$PATH \
    HOTLINE_VAR_DIR=/var/lib/hotline
# The modules hotline.cfg loads (infra/kamailio/hotline.cfg), rtpengine in userspace
# (the pod runs it with --table=-1: no kernel module), and Python for the CLI.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends \
      kamailio kamailio-json-modules kamailio-utils-modules kamailio-extra-modules \
      kamailio-websocket-modules kamailio-tls-modules kamailio-autheph-modules \
      rtpengine-daemon python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 hotline \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/hotline \
      --shell /usr/sbin/nologin hotline \
 && install -d -o 10001 -g 10001 /var/lib/hotline /var/spool/hotline /run/hotline
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    python3 -m venv /opt/hotline/venv \
 && /opt/hotline/venv/bin/pip install --no-cache-dir --no-index --find-links=/wheels hotline \
 && /opt/hotline/venv/bin/pip uninstall --yes pip
WORKDIR /var/lib/hotline
USER 10001:10001
EXPOSE 5060/udp 5060/tcp 5066/tcp 5080/tcp 2223/udp 9102/tcp
ENTRYPOINT ["hotline"]
CMD ["--help"]
