package dev.coderd.testapp;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The service's data (users, workspaces, workspace builds, licenses) behind JDBC, through Spring Boot's
 * HikariCP pool {@code coderd}: an embedded H2 database by default, PostgreSQL when the service is given its
 * JDBC URL ({@code --spring.datasource.url=jdbc:postgresql://...}). The schema and seed rows are created at
 * start-up when absent; the SQL is plain enough for both.
 */
@Repository
public class CoderData {
    private static final List<String> SEED_USERS = List.of("admin", "alice", "bob", "me");
    private static final List<String> SEED_WORKSPACES = List.of("dev", "ci");

    private final JdbcTemplate jdbc;

    public CoderData(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("CREATE TABLE IF NOT EXISTS users (username VARCHAR(64) PRIMARY KEY, created_at TIMESTAMP NOT NULL, "
                + "last_seen_at TIMESTAMP, status VARCHAR(16) DEFAULT 'active' NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS workspaces (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL UNIQUE, "
                + "last_used_at TIMESTAMP)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS workspace_builds (id VARCHAR(64) PRIMARY KEY, workspace_name VARCHAR(64) NOT NULL, "
                + "transition VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, created_at TIMESTAMP NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS licenses (id INT PRIMARY KEY, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "issued_at TIMESTAMP WITH TIME ZONE NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL, user_limit INT NOT NULL)");
        Timestamp epoch = Timestamp.from(Instant.EPOCH);
        if (count("users") == 0) {
            jdbc.batchUpdate("INSERT INTO users (username, created_at) VALUES (?, ?)",
                    SEED_USERS.stream().map(u -> new Object[] {u, epoch}).toList());
        }
        if (count("workspaces") == 0) {
            for (int i = 0; i < SEED_WORKSPACES.size(); i++) {
                jdbc.update("INSERT INTO workspaces (id, name) VALUES (?, ?)", i + 1, SEED_WORKSPACES.get(i));
            }
        }
    }

    private int count(String table) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
        return n == null ? 0 : n;
    }

    public List<String> usernames() {
        return jdbc.queryForList("SELECT username FROM users ORDER BY username", String.class);
    }

    /** The user, if there is one; a found user's {@code last_seen_at} moves to now, as coderd's does. */
    public Optional<String> seeUser(String username) {
        List<String> found = jdbc.queryForList("SELECT username FROM users WHERE username = ?", String.class, username);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        jdbc.update("UPDATE users SET last_seen_at = ? WHERE username = ?", Timestamp.from(Instant.now()), username);
        return Optional.of(found.get(0));
    }

    public void createUser(String username) {
        if (jdbc.queryForList("SELECT username FROM users WHERE username = ?", String.class, username).isEmpty()) {
            jdbc.update("INSERT INTO users (username, created_at) VALUES (?, ?)", username, Timestamp.from(Instant.now()));
        }
    }

    public List<String> workspaceNames() {
        return jdbc.queryForList("SELECT name FROM workspaces ORDER BY id", String.class);
    }

    /** A workspace was looked at: its {@code last_used_at} moves to now (coderd's activity bump). */
    public void touchWorkspace(String name) {
        jdbc.update("UPDATE workspaces SET last_used_at = ? WHERE name = ?", Timestamp.from(Instant.now()), name);
    }

    /** A build's status, if the build is recorded. */
    public Optional<String> buildStatus(String id) {
        return jdbc.queryForList("SELECT status FROM workspace_builds WHERE id = ?", String.class, id).stream().findFirst();
    }

    /** {@code active}, {@code suspended} or {@code dormant}; false when there is no such user. */
    public boolean setUserStatus(String username, String status) {
        return jdbc.update("UPDATE users SET status = ? WHERE username = ?", status, username) == 1;
    }

    public List<Map<String, Object>> licenses() {
        return jdbc.queryForList("SELECT id, uploaded_at, issued_at, expires_at, user_limit FROM licenses ORDER BY id");
    }

    /** Stores a license as uploaded now; answers its id. */
    public int addLicense(CoderLicense license) {
        Integer last = jdbc.queryForObject("SELECT max(id) FROM licenses", Integer.class);
        int id = last == null ? 1 : last + 1;
        jdbc.update("INSERT INTO licenses (id, uploaded_at, issued_at, expires_at, user_limit) VALUES (?, ?, ?, ?, ?)", id,
                utc(Instant.now()), utc(license.issuedAt()), utc(license.expiresAt()), license.userLimit());
        return id;
    }

    public boolean deleteLicense(int id) {
        return jdbc.update("DELETE FROM licenses WHERE id = ?", id) == 1;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
