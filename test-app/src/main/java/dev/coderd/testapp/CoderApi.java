package dev.coderd.testapp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Coder-shaped routes: users, organizations, templates, workspaces, workspace builds, licenses. */
@RestController
@RequestMapping("/api/v2")
public class CoderApi {
    private static final Set<String> ORGANIZATIONS = Set.of("coder", "default");

    private final CoderData data;

    public CoderApi(CoderData data) {
        this.data = data;
    }

    @Autowired
    private WorkspaceBuilds builds;

    /** {@code /buildinfo} requests this service answered: what a benchmark checks an agent's count against. */
    private final AtomicLong buildInfoServed = new AtomicLong();

    @GetMapping("/buildinfo")
    public Map<String, Object> buildInfo() {
        buildInfoServed.incrementAndGet();
        return Map.of("version", "v2.99.0-test", "external_url", "https://github.com/coder/coder", "agent_api_version", "2.0");
    }

    @GetMapping("/buildinfo/served")
    public String buildInfoServed() {
        return Long.toString(buildInfoServed.get());
    }

    @GetMapping("/users")
    public List<Map<String, Object>> users() {
        return data.usernames().stream().map(CoderApi::userOf).toList();
    }

    @GetMapping("/users/{user}")
    public Map<String, Object> user(@PathVariable String user) {
        return userOf(data.seeUser(user).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "user not found")));
    }

    @PostMapping("/users")
    public ResponseEntity<Map<String, Object>> createUser(@RequestBody Map<String, Object> body) {
        Object name = body.get("username");
        if (!(name instanceof String) || ((String) name).isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "username is required");
        }
        data.createUser((String) name);
        return ResponseEntity.status(HttpStatus.CREATED).body(userOf((String) name));
    }

    @GetMapping("/organizations/{organization}")
    public Map<String, Object> organization(@PathVariable String organization) {
        requireOrganization(organization);
        return Map.of("id", uuid(organization), "name", organization);
    }

    @GetMapping("/organizations/{organization}/templates")
    public List<Map<String, Object>> templates(@PathVariable String organization) {
        requireOrganization(organization);
        return List.of(template("docker"), template("kubernetes"));
    }

    @GetMapping("/templates/{template}")
    public Map<String, Object> template(@PathVariable String template) {
        return Map.of("id", uuid(template), "name", template, "active_version_id", uuid(template + "-v1"));
    }

    @GetMapping("/workspaces")
    public Map<String, Object> workspaces() {
        List<String> names = data.workspaceNames();
        return Map.of("workspaces", names.stream().map(CoderApi::workspaceOf).toList(), "count", names.size());
    }

    @GetMapping("/workspaces/{workspace}")
    public Map<String, Object> workspace(@PathVariable String workspace) {
        data.touchWorkspace(workspace);
        return workspaceOf(workspace);
    }

    @PostMapping("/workspaces/{workspace}/builds")
    public ResponseEntity<Map<String, Object>> build(@PathVariable String workspace, @RequestBody Map<String, Object> body) {
        Object transition = body.get("transition");
        if (!"start".equals(transition) && !"stop".equals(transition) && !"delete".equals(transition)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "transition must be start, stop or delete");
        }
        builds.start(workspace, (String) transition, body.get("duration_ms"));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("id", UUID.randomUUID().toString(), "workspace_id", uuid(workspace), "transition", transition));
    }

    @GetMapping("/workspacebuilds/{workspacebuild}")
    public Map<String, Object> workspaceBuild(@PathVariable String workspacebuild) {
        return Map.of("id", workspacebuild, "status", data.buildStatus(workspacebuild).orElse("succeeded"),
                "created_at", Instant.EPOCH.toString());
    }

    @PutMapping("/users/{user}/status/{action}")
    public Map<String, Object> userStatus(@PathVariable String user, @PathVariable String action) {
        String status = switch (action) {
            case "activate" -> "active";
            case "suspend" -> "suspended";
            case "dormant" -> "dormant";
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status action must be activate, suspend or dormant");
        };
        if (!data.setUserStatus(user, status)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "user not found");
        }
        return Map.of("id", uuid(user), "username", user, "status", status);
    }

    @GetMapping("/licenses")
    public List<Map<String, Object>> licenses() {
        return data.licenses().stream().map(row -> Map.<String, Object>of("id", row.get("id"),
                "uploaded_at", instant(row.get("uploaded_at")).toString(),
                "claims", Map.of("iat", instant(row.get("issued_at")).getEpochSecond(),
                        "license_expires", instant(row.get("expires_at")).getEpochSecond(),
                        "features", Map.of("user_limit", row.get("user_limit"))))).toList();
    }

    /** Coder's license upload: {@code {"license": "<JWT>"}}; see {@link CoderLicense}. */
    @PostMapping("/licenses")
    public ResponseEntity<Map<String, Object>> addLicense(@RequestBody Map<String, Object> body) {
        CoderLicense license;
        try {
            license = CoderLicense.parse(body.get("license") instanceof String jwt ? jwt : null);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        int id = data.addLicense(license);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id,
                "claims", Map.of("iat", license.issuedAt().getEpochSecond(), "license_expires", license.expiresAt().getEpochSecond(),
                        "features", Map.of("user_limit", license.userLimit()))));
    }

    @DeleteMapping("/licenses/{id}")
    public Map<String, Object> deleteLicense(@PathVariable int id) {
        if (!data.deleteLicense(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "license not found");
        }
        return Map.of("id", id);
    }

    /** H2 answers a zoned timestamp as {@code OffsetDateTime}, PostgreSQL's driver as {@code Timestamp}. */
    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }

    /** Sleeps {@code ms}: a latency of known size for tests and demo traffic. */
    @GetMapping("/debug/slow")
    public Map<String, Object> slow(@RequestParam(defaultValue = "30") long ms) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ms);
        return Map.of("slept_ms", ms);
    }

    /** An unhandled exception: the client gets 500. */
    @GetMapping("/debug/panic")
    public Map<String, Object> panic() {
        throw new IllegalStateException("deliberate failure");
    }

    /** Answers on another thread after {@code ms}: an async request that ends when its context completes. */
    @GetMapping("/debug/async")
    public CompletableFuture<Map<String, Object>> async(@RequestParam(defaultValue = "50") long ms) {
        return CompletableFuture.supplyAsync(() -> Map.of("waited_ms", ms),
                CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }

    private static Map<String, Object> workspaceOf(String workspace) {
        return Map.of("id", uuid(workspace), "name", workspace, "latest_build", Map.of("status", "running"));
    }

    private static Map<String, Object> userOf(String name) {
        return Map.of("id", uuid(name), "username", name, "status", "active");
    }

    private static void requireOrganization(String organization) {
        if (!ORGANIZATIONS.contains(organization)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "organization not found");
        }
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes()).toString();
    }
}
