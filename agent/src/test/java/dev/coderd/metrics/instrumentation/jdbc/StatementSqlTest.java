package dev.coderd.metrics.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSqlTest {
    private final StatementSql table = new StatementSql(64);

    @Test
    void remembersForgetsAndReplaces() {
        Object a = new Object();
        Object b = new Object();
        table.put(a, "SELECT 1", false);
        table.put(b, "SELECT 2", false);
        assertThat(table.get(a)).isEqualTo("SELECT 1");
        assertThat(table.get(b)).isEqualTo("SELECT 2");
        assertThat(table.get(new Object())).isNull();
        table.put(a, "SELECT 3", true);  // a batch's first SQL stays
        assertThat(table.get(a)).isEqualTo("SELECT 1");
        table.put(a, "SELECT 3", false);
        assertThat(table.get(a)).isEqualTo("SELECT 3");
        table.remove(a);
        assertThat(table.get(a)).isNull();
        assertThat(table.get(b)).isEqualTo("SELECT 2");
    }

    @Test
    void boundedWhateverTheNumberOfLiveStatements() {
        List<Object> live = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Object s = new Object();
            live.add(s);
            table.put(s, "SELECT " + i, false);
            assertThat(table.get(s)).isEqualTo("SELECT " + i); // the newest is always found
        }
        long remembered = live.stream().filter(s -> table.get(s) != null).count();
        assertThat(remembered).isLessThanOrEqualTo(64);
    }
}
