# The test-app as a plain Java image, without the agent (deploy/container/Dockerfile adds it):
#
#   mvn -B -q package -DskipTests
#   docker build -f deploy/container/test-app.Dockerfile -t coderd-test-app:plain .
#   docker build -f deploy/container/Dockerfile --build-arg BASE=coderd-test-app:plain -t coderd-test-app:0.1.0 .
FROM eclipse-temurin:21-jre
COPY test-app/target/test-app.jar /opt/test-app/test-app.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/test-app/test-app.jar"]
