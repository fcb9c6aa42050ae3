# One image for every Nostrex role; the container's command picks it:
#   gateway | validator | matcher | archiver | topics | check --url ws://... | verify FILE | bench ...
# Configuration is environment variables only (see README.md, "Settings").
#
# Built two ways from this one file:
#   - by Maven (deploy/image/build-image, run in `./mvnw package` when a Docker engine answers), from
#     the jars Maven just put in app/target/dist/lib (FROM_SOURCE=0): seconds, no network;
#   - from a clean checkout (`docker compose up --build`, `docker build .`): the first stage builds
#     those jars with the Maven wrapper (FROM_SOURCE=1, the default).
# Base images are build arguments, so an air-gapped site can use its own (JRE_IMAGE, JDK_IMAGE).
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
ARG FROM_SOURCE=1
WORKDIR /src
COPY . .
RUN if [ "$FROM_SOURCE" = 1 ] || [ ! -d app/target/dist/lib ]; then \
      ./mvnw -B -q -DskipTests -pl app -am package; \
    fi

FROM ${JRE_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="nostrex" \
      org.opencontainers.image.description="Nostrex, a Nostr relay on Kafka and PostgreSQL: gateway, validator, matcher and archiver in one image" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
# The application and its runtime dependencies only: no Kafka broker, no PostgreSQL (those are dev's).
COPY --from=build /src/app/target/dist/lib/ /opt/nostrex/lib/
# A non-root user that owns the data folder (the matcher keeps its state store there); a read-only
# root filesystem needs /tmp and this folder writable (native libraries are unpacked into /tmp).
RUN mkdir -p /var/lib/nostrex && chown 10001:10001 /var/lib/nostrex
USER 10001:10001
WORKDIR /var/lib/nostrex
ENV NOSTREX_HOST=0.0.0.0 \
    NOSTREX_DATA=/var/lib/nostrex
# gateway (WebSocket, NIP-11, /metrics, /health, /ready); admin port of the other roles
EXPOSE 7777 8081
# The JVM reads the container's memory and CPU limits; the heap takes three quarters of the memory
# limit, and an OutOfMemoryError ends the process (the orchestrator restarts it). More flags:
# JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp", "/opt/nostrex/lib/*", "io.nostrex.app.Main"]
CMD ["--help"]
