package dev.coderd.metrics.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SqlSummarizerTest {
    private final SqlSummarizer summaries = new SqlSummarizer(4);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM workspaces WHERE id = $1                                        | SELECT workspaces
            select id, name from users u where u.username = ?                             | SELECT users
            INSERT INTO workspace_builds (id, workspace_id) VALUES (?, ?)                 | INSERT workspace_builds
            UPDATE users SET last_seen_at = now() WHERE id = $1                           | UPDATE users
            DELETE FROM api_keys WHERE expires_at < now()                                 | DELETE api_keys
            CALL refresh_stats()                                                          | CALL refresh_stats
            {call refresh_stats(?)}                                                       | CALL refresh_stats
            {? = call next_build_number(?)}                                               | CALL next_build_number
            SELECT 1                                                                      | SELECT
            SELECT now()                                                                  | SELECT
            BEGIN                                                                         | BEGIN
            commit                                                                        | COMMIT
            SET search_path TO public                                                     | SET
            VALUES (1, 2)                                                                 | VALUES
            ~  SELECT * FROM users~                                                       | SELECT users
            """)
    void operationAndFirstTable(String sql, String summary) {
        assertThat(summaries.summarize(sql)).isEqualTo(summary);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM public.workspaces                                               | SELECT workspaces
            SELECT * FROM "public"."Workspaces"                                           | SELECT workspaces
            SELECT * FROM "users"                                                         | SELECT users
            SELECT * FROM `users`                                                         | SELECT users
            SELECT * FROM PUBLIC.USERS                                                    | SELECT users
            INSERT INTO "PUBLIC"."WORKSPACE_BUILDS" VALUES (1)                            | INSERT workspace_builds
            UPDATE ONLY users SET name = 'x'                                              | UPDATE users
            SELECT * FROM "odd name"                                                      | OTHER
            SELECT * FROM "a""b"                                                          | OTHER
            """)
    void namesLoseQuotesAndSchemaAndAreLowerCased(String sql, String summary) {
        assertThat(summaries.summarize(sql)).isEqualTo(summary);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            WITH recent AS (SELECT * FROM workspace_builds) SELECT * FROM recent                        | SELECT workspace_builds
            WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t) SELECT n FROM t           | SELECT
            WITH a AS (SELECT id FROM users), b AS (SELECT * FROM a) SELECT * FROM b JOIN workspaces w ON true | SELECT users
            WITH x AS MATERIALIZED (SELECT 1) INSERT INTO audit_logs SELECT * FROM x                    | INSERT audit_logs
            WITH moved AS (DELETE FROM old_jobs RETURNING *) INSERT INTO archived_jobs SELECT * FROM moved | INSERT archived_jobs
            WITH u AS (UPDATE users SET x = 1 RETURNING id) SELECT * FROM u                             | SELECT users
            INSERT INTO workspace_builds SELECT * FROM templates                                        | INSERT workspace_builds
            SELECT * FROM (SELECT * FROM users) sub                                                     | SELECT users
            SELECT (SELECT count(*) FROM builds) AS n FROM workspaces                                   | SELECT workspaces
            SELECT EXTRACT(YEAR FROM created_at) FROM workspaces                                        | SELECT workspaces
            SELECT EXTRACT(YEAR FROM now())                                                             | SELECT
            SELECT substring(name FROM 2 FOR 3) AS n                                                    | SELECT
            SELECT * FROM unnest($1::uuid[]) AS ids JOIN users ON users.id = ids                        | SELECT users
            SELECT * FROM generate_series(1, 3)                                                         | SELECT
            SELECT a IS DISTINCT FROM b FROM pairs                                                      | SELECT pairs
            (SELECT id FROM users) UNION (SELECT id FROM groups)                                        | SELECT users
            SELECT * FROM users u JOIN organizations o ON o.id = u.org                                  | SELECT users
            SELECT * FROM LATERAL (SELECT 1) x, ONLY templates                                          | SELECT
            """)
    void ctesSubqueriesAndInsertSelect(String sql, String summary) {
        assertThat(summaries.summarize(sql)).isEqualTo(summary);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            -- the users query\\nSELECT * FROM users                                      | SELECT users
            /* a /* nested */ comment */ SELECT * FROM users                              | SELECT users
            SELECT 'FROM secrets' AS s FROM users                                         | SELECT users
            SELECT E'it\\'s FROM x' FROM users                                            | SELECT users
            SELECT $$ FROM x $$ FROM users                                                | SELECT users
            SELECT $body$ FROM x $body$ FROM users                                        | SELECT users
            SELECT * FROM users WHERE name = 'o''brien'                                   | SELECT users
            SELECT * FROM users WHERE id = $1 AND created_at > $2::timestamptz            | SELECT users
            SELECT TOP 10 * FROM users                                                    | SELECT users
            MERGE INTO users KEY (id) VALUES (1, 'a')                                     | MERGE users
            CALL 1 + 1                                                                    | CALL
            CALL NEXT VALUE FOR seq                                                       | CALL
            CREATE TABLE IF NOT EXISTS users (id INT)                                     | CREATE users
            CREATE MEMORY TABLE workspaces (id INT)                                       | CREATE workspaces
            CREATE INDEX users_name ON users (name)                                       | CREATE
            DROP TABLE IF EXISTS users                                                    | DROP users
            ALTER TABLE users ADD COLUMN x INT                                            | ALTER users
            TRUNCATE TABLE licenses                                                       | TRUNCATE licenses
            TRUNCATE licenses                                                             | TRUNCATE licenses
            SELECT 1; UPDATE users SET a = 1                                              | SELECT
            ;SELECT * FROM users                                                          | SELECT users
            SELECT * FROM users; SELECT * FROM x                                          | SELECT users
            EXPLAIN ANALYZE SELECT * FROM users                                           | EXPLAIN
            """)
    void commentsLiteralsAndDialects(String sql, String summary) {
        assertThat(summaries.summarize(sql.replace("\\n", "\n"))).isEqualTo(summary);
    }

    @ParameterizedTest(name = "{0} -> OTHER")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELEKT * FROM users
            hello world
            ~~
            ~   ~
            42
            'just a literal'
            SELECT * FROM
            SELECT * FROM "unterminated
            WITH x AS SELECT 1
            """)
    void whatCannotBeToldIsOther(String sql) {
        assertThat(summaries.summarize(sql == null ? "" : sql)).isEqualTo(SqlSummarizer.OTHER);
    }

    @Test
    void nullIsOther() {
        assertThat(summaries.summarize(null)).isEqualTo("OTHER");
    }

    @Test
    void theScanIsBoundedAndAnUndecidedTableIsOther() {
        String mb = "x".repeat(1 << 20);
        assertThat(summaries.summarize("SELECT '" + mb + "' FROM users")).isEqualTo("OTHER");
        assertThat(summaries.summarize("SELECT * FROM users WHERE id IN (" + "1,".repeat(500_000) + "1)")).isEqualTo("SELECT users");
        assertThat(summaries.summarize("/*" + mb + "*/ SELECT 1")).isEqualTo("OTHER");
        assertThat(summaries.summarize("INSERT INTO " + "t".repeat(SqlSummarizer.SCAN_LIMIT + 10) + " VALUES (1)")).isEqualTo("OTHER");
        assertThat(summaries.summarize("INSERT INTO " + "t".repeat(SqlSummarizer.MAX_NAME + 1) + " VALUES (1)")).isEqualTo("OTHER");
    }

    @Test
    void theCacheIsBoundedAndHitsReturnTheSameSummary() {
        String sql = "SELECT * FROM users";
        String first = summaries.summarize(sql);
        assertThat(summaries.summarize(new String(sql))).isSameAs(first);
        for (int i = 0; i < 100; i++) {
            assertThat(summaries.summarize("SELECT * FROM t" + i)).isEqualTo("SELECT t" + i);
        }
        assertThat(summaries.cacheSize()).isLessThanOrEqualTo(4);
        assertThat(summaries.summarize("SELECT '" + "x".repeat(SqlSummarizer.CACHED_LENGTH) + "' FROM users")).isEqualTo("SELECT users");
        assertThat(summaries.cacheSize()).isLessThanOrEqualTo(4);
    }
}
