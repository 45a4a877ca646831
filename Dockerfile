# Build: the whole Maven build inside the image, so a machine needs only Docker.
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY conf conf
COPY sql sql
COPY src src
RUN mvn -B -ntp -q -DskipTests package

# Run: a JRE, a non-root user, the data folder as a volume (used only by the embedded database).
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/servicepunkt servicepunkt \
 && mkdir -p /var/lib/servicepunkt \
 && chown servicepunkt:servicepunkt /var/lib/servicepunkt
WORKDIR /opt/servicepunkt
COPY --from=build /src/target/servicepunkt.jar servicepunkt.jar
COPY conf/servicepunkt.example.json conf/servicepunkt.example.json
# The heap is bounded whether or not the container has a memory limit: 512 MB, as for
# `mvn exec:java` (.mvn/jvm.config), and starts at 256 MB (a heap shrunk to a few tens of MB after
# start-up collects every fraction of a second in a morning rush). Change it with
# -e JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms512m -Xmx1g".
ENV SP_DATA_DIR=/var/lib/servicepunkt \
    SP_HTTP_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms256m -Xmx512m"
USER servicepunkt
EXPOSE 8080
VOLUME ["/var/lib/servicepunkt"]
# Ready means: the database answers and every migration succeeded. Plain bash, no curl needed.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${SP_HTTP_PORT} && printf "GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/opt/servicepunkt/servicepunkt.jar"]
