# Multi-stage build of the coupon service. The build stage needs only a JDK: the Maven wrapper
# fetches Maven. Build context: the repository root (see .dockerignore).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# poms first, so that dependency downloads are cached while only sources change
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY coupon-domain/pom.xml coupon-domain/
COPY coupon-application/pom.xml coupon-application/
COPY adapter-postgres/pom.xml adapter-postgres/
COPY adapter-http/pom.xml adapter-http/
COPY adapter-kafka/pom.xml adapter-kafka/
COPY kafka-broker/pom.xml kafka-broker/
COPY embedded-infra/pom.xml embedded-infra/
COPY bootstrap/pom.xml bootstrap/
COPY local-stack/pom.xml local-stack/
COPY benchmark/pom.xml benchmark/
RUN ./mvnw -q -B dependency:go-offline -pl bootstrap -am || true
COPY . .
RUN ./mvnw -q -B package -DskipTests -pl bootstrap -am

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 coupons
COPY --from=build /src/bootstrap/target/coupon-service.jar /app/coupon-service.jar
USER coupons
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
  CMD curl -fsS "http://localhost:${PORT:-8080}/health/readiness" > /dev/null || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/coupon-service.jar"]
