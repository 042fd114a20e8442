package dev.coderd.metrics.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyQueryTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "select count(*) from users;",
            "  -- the license in force\n SELECT expires_at FROM licenses ;; ",
            "WITH l AS (SELECT * FROM licenses) SELECT max(expires_at) FROM l",
            "SELECT ';DROP TABLE users' AS x",
            "SELECT $$;$$ AS x",
            "/* ; */ SELECT \"a;b\" FROM t"})
    void oneReadingStatementPasses(String sql) {
        assertThat(ReadOnlyQuery.check(sql)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DELETE FROM licenses                    | must be one SELECT (or WITH ... SELECT) statement",
            "''                                      | must be one SELECT (or WITH ... SELECT) statement",
            "(SELECT 1)                              | must be one SELECT (or WITH ... SELECT) statement",
            "SELECT 1; DELETE FROM users             | must be one statement: nothing may follow its ';'",
            "SELECT 1; SELECT 2                      | must be one statement: nothing may follow its ';'",
            "SELECT 'open                            | has a quote or comment that is not closed",
            "SELECT 1 /* open                        | has a quote or comment that is not closed"})
    void anythingElseIsRefusedWithItsReason(String sql, String reason) {
        assertThat(ReadOnlyQuery.check(sql)).isEqualTo(reason);
    }
}
