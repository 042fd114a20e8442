package dev.coderd.metrics.db;

import java.util.Locale;

/**
 * The guard on an SQL gauge's query: one statement that reads. It begins with {@code SELECT} or {@code WITH}
 * and holds no {@code ;} but trailing ones (literals, quoted names and comments are skipped as
 * {@link SqlLexer} skips them). The queries are the operator's, not strangers': this catches a mistaken
 * statement before it runs against production data.
 */
public final class ReadOnlyQuery {
    private ReadOnlyQuery() {}

    /** Null when {@code sql} is one reading statement; else what is wrong. */
    public static String check(String sql) {
        SqlLexer lexer = new SqlLexer(sql, Integer.MAX_VALUE);
        int type = lexer.next();
        String first = type == SqlLexer.WORD ? sql.substring(lexer.start, lexer.end).toUpperCase(Locale.ROOT) : "";
        if (!first.equals("SELECT") && !first.equals("WITH")) {
            return "must be one SELECT (or WITH ... SELECT) statement";
        }
        boolean ended = false;
        while ((type = lexer.next()) != SqlLexer.END) {
            if (type == SqlLexer.LIMIT) {
                return "has a quote or comment that is not closed";
            }
            if (type == SqlLexer.SEMICOLON) {
                ended = true;
            } else if (ended) {
                return "must be one statement: nothing may follow its ';'";
            }
        }
        return null;
    }
}
