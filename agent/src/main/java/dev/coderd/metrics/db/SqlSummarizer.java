package dev.coderd.metrics.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code query} label of {@code coderd_db_sql_*}: the upper-case operation and the first table of a
 * statement's SQL text, never a literal, never the full text.
 *
 * <pre>
 * SqlSummarizer summaries = new SqlSummarizer(1024);
 * summaries.summarize("SELECT * FROM \"public\".workspaces w WHERE w.id = $1");  // "SELECT workspaces"
 * summaries.summarize("INSERT INTO workspace_builds (id) SELECT id FROM jobs");  // "INSERT workspace_builds"
 * summaries.summarize("BEGIN");                                                  // "BEGIN"
 * summaries.summarize("SELEKT 1");                                               // "OTHER"
 * </pre>
 *
 * <p>Rules, from the metrics contract: the table is the target of {@code INSERT INTO}, {@code UPDATE},
 * {@code DELETE FROM}, {@code MERGE INTO}, {@code TRUNCATE}, {@code CREATE/ALTER/DROP TABLE}, the procedure of
 * {@code CALL} (also the JDBC escape {@code {? = call f(?)}}), and for a query the first {@code FROM} or
 * {@code JOIN} target of the statement itself, else of its first subquery; a {@code WITH} statement is named by
 * its main statement, and a reference to one of its own CTEs gives way to the first table the CTEs read.
 * Names lose their quotes and schema and are lower-cased ({@code "Public"."Users"} → {@code users}). Text
 * after the first {@code ;} is not read. An operation outside the known set, a name with unusual characters,
 * or a table not found within the first {@value #SCAN_LIMIT} characters gives {@link #OTHER}.
 *
 * <p>Cached per SQL string: a cache hit is one {@link ConcurrentHashMap#get} (the string's hash is cached by
 * {@code String} itself). The cache holds at most {@code capacity} strings of at most
 * {@value #CACHED_LENGTH} characters and starts over when full; longer text (generated {@code IN} lists,
 * bulk inserts) is summarised on every call, reading at most {@value #SCAN_LIMIT} characters.
 */
public final class SqlSummarizer {
    public static final String OTHER = "OTHER";
    /** Characters read from one SQL text at most: the cost of a miss is bounded whatever the text. */
    static final int SCAN_LIMIT = 8192;
    /** Longer text is not kept as a cache key (memory: capacity x this x 2 bytes at most). */
    static final int CACHED_LENGTH = 4096;
    static final int MAX_NAME = 128;

    /** Statements whose summary may name a table, and how. */
    private static final String[] OPERATIONS = {
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "CALL", "WITH", "VALUES",
        "CREATE", "ALTER", "DROP", "TRUNCATE", "LOCK", "COPY",
        "BEGIN", "START", "COMMIT", "ROLLBACK", "END", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE", "EXECUTE",
        "EXEC", "DEALLOCATE", "SET", "RESET", "SHOW", "EXPLAIN", "ANALYZE", "VACUUM", "GRANT", "REVOKE",
        "COMMENT", "DECLARE", "FETCH", "MOVE", "CLOSE", "LISTEN", "NOTIFY", "UNLISTEN", "DISCARD", "CHECKPOINT",
        "REFRESH", "REINDEX", "CLUSTER", "DO", "USE", "SCRIPT", "RUNSCRIPT", "BACKUP", "SHUTDOWN",
    };
    /** Words after which a DDL statement's object is a table. */
    private static final String[] DDL_MODIFIERS = {
        "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "CACHED", "MEMORY", "LINKED", "FORCE",
    };

    private final int capacity;
    private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    public SqlSummarizer(int capacity) {
        this.capacity = capacity;
    }

    /** The summary of {@code sql}; {@link #OTHER} for null or text it cannot tell. Never throws. */
    public String summarize(String sql) {
        if (sql == null) {
            return OTHER;
        }
        String summary = cache.get(sql);
        if (summary != null) {
            return summary;
        }
        summary = summarizeUncached(sql);
        if (sql.length() <= CACHED_LENGTH) {
            if (cache.size() >= capacity) {
                cache.clear(); // start over: recent text comes back at the cost of one miss each
            }
            cache.put(sql, summary);
        }
        return summary;
    }

    int cacheSize() {
        return cache.size();
    }

    /** The summary of {@code sql}, computed. */
    static String summarizeUncached(String sql) {
        try {
            return new Parse(sql).statement();
        } catch (RuntimeException e) {
            return OTHER; // a rule that does not fit this text: it cannot be told
        }
    }

    /** One summarisation: a tiny recursive-descent reader over {@link SqlLexer} tokens. */
    private static final class Parse {
        private final SqlLexer lex;
        private final List<String> cteNames = new ArrayList<>(2);
        /** The first table a CTE body reads: what a {@code WITH} statement is named by when its own target is a CTE. */
        private String cteTable;

        Parse(String sql) {
            lex = new SqlLexer(sql, SCAN_LIMIT);
        }

        String statement() {
            int t = lex.next();
            while (t == SqlLexer.OPEN || t == SqlLexer.SEMICOLON || isJdbcEscapeStart()) {
                t = lex.next(); // "(SELECT ...) UNION ...", ";;", "{call f(?)}", "{? = call f(?)}"
            }
            if (t != SqlLexer.WORD) {
                return OTHER;
            }
            String op = operation();
            if (op == null) {
                return OTHER;
            }
            if (op.equals("WITH")) {
                if (!ctes()) {
                    return OTHER;
                }
                op = operation();
                if (op == null || !(op.equals("SELECT") || op.equals("INSERT") || op.equals("UPDATE")
                        || op.equals("DELETE") || op.equals("MERGE"))) {
                    return OTHER;
                }
            }
            String table;
            switch (op) {
                case "SELECT":
                    table = queryTable();
                    break;
                case "INSERT":
                case "REPLACE":
                case "UPSERT":
                case "MERGE":
                    table = targetAfter("INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY");
                    break;
                case "UPDATE":
                    table = targetAfter("ONLY", "LOW_PRIORITY", "IGNORE");
                    break;
                case "DELETE":
                    table = targetAfter("FROM", "ONLY", "LOW_PRIORITY", "QUICK", "IGNORE");
                    break;
                case "TRUNCATE":
                    table = targetAfter("TABLE", "ONLY");
                    break;
                case "LOCK":
                    table = targetAfter("TABLE", "TABLES", "ONLY");
                    break;
                case "COPY":
                    table = lex.next() == SqlLexer.OPEN ? NONE : nameHere();
                    break;
                case "CALL":
                    table = procedure();
                    break;
                case "CREATE":
                case "ALTER":
                case "DROP":
                    table = ddlTable();
                    break;
                default:
                    return op; // an operation that names no table
            }
            if (table == UNKNOWN) {
                return OTHER;
            }
            if (table != NONE && cteNames.contains(table)) {
                table = cteTable != null ? cteTable : NONE;
            } else if (table == NONE && cteTable != null) {
                table = cteTable;
            }
            return table == NONE ? op : op + " " + table;
        }

        /** No table in this statement. */
        private static final String NONE = new String("");
        /** The text ended at the scan limit before the table was found, or the name is not a plain name. */
        private static final String UNKNOWN = new String("?");

        private boolean isJdbcEscapeStart() {
            if (lex.type != SqlLexer.OTHER) {
                return false;
            }
            String token = lex.text();
            return token.equals("{") || token.equals("?") || token.equals("=");
        }

        /** The current word as a known operation (the constant, upper case), or null. */
        private String operation() {
            for (String op : OPERATIONS) {
                if (lex.is(op)) {
                    return op;
                }
            }
            return null;
        }

        /**
         * {@code WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (body) [, ...]}: records the names, reads
         * the bodies for their first table, and leaves the lexer on the main statement's first word.
         */
        private boolean ctes() {
            lex.next();
            if (lex.is("RECURSIVE")) {
                lex.next();
            }
            while (true) {
                String name = nameToken();
                if (name == null) {
                    return false;
                }
                cteNames.add(name);
                int t = lex.next();
                if (t == SqlLexer.OPEN) {
                    if (!skipParens()) {
                        return false;
                    }
                    t = lex.next();
                }
                if (!lex.is("AS")) {
                    return false;
                }
                t = lex.next();
                if (lex.is("NOT")) {
                    t = lex.next();
                }
                if (lex.is("MATERIALIZED")) {
                    t = lex.next();
                }
                if (t != SqlLexer.OPEN) {
                    return false;
                }
                String bodyTable = bodyTable();
                if (bodyTable == UNKNOWN) {
                    return false;
                }
                if (cteTable == null && bodyTable != NONE) {
                    cteTable = bodyTable;
                }
                t = lex.next();
                if (t != SqlLexer.OTHER || !lex.text().equals(",")) {
                    return t == SqlLexer.WORD;
                }
                lex.next();
            }
        }

        /** Reads a CTE body up to its closing parenthesis: its first FROM, JOIN, INTO or UPDATE target. */
        private String bodyTable() {
            String found = NONE;
            int depth = 1;
            boolean expectTarget = false;
            while (depth > 0) {
                int t = lex.next();
                switch (t) {
                    case SqlLexer.END:
                    case SqlLexer.LIMIT:
                        return UNKNOWN;
                    case SqlLexer.OPEN:
                        depth++;
                        expectTarget = false;
                        break;
                    case SqlLexer.CLOSE:
                        depth--;
                        expectTarget = false;
                        break;
                    case SqlLexer.WORD:
                    case SqlLexer.QUOTED:
                        if (expectTarget && !(lex.is("ONLY") || lex.is("LATERAL"))) {
                            expectTarget = false;
                            String name = qualifiedName();
                            if (name == UNKNOWN) {
                                return UNKNOWN;
                            }
                            if (found == NONE && !cteNames.contains(name) && lex.type != SqlLexer.OPEN) {
                                found = name;
                            }
                            unread(); // the token after the name is the loop's
                            break;
                        }
                        expectTarget = expectTarget || (t == SqlLexer.WORD && (lex.is("FROM") || lex.is("JOIN")
                                || lex.is("INTO") || lex.is("UPDATE")));
                        break;
                    default:
                        expectTarget = false;
                }
            }
            return found;
        }

        /** Steps back before the current token, so that the next {@code next()} reads it again. */
        private void unread() {
            lex.reset(lex.start);
        }

        /**
         * A query's table: the first FROM or JOIN target at the statement's own level, else the first one
         * inside a subquery. Expression parentheses ({@code EXTRACT(YEAR FROM t)}) and {@code IS DISTINCT FROM}
         * are not FROM clauses. The lexer stands on SELECT (or inside {@code WITH}'s main SELECT).
         */
        private String queryTable() {
            long subqueries = 0; // bit d: the parenthesis opened at depth d holds a subquery
            int depth = 0;
            String nested = null;
            boolean previousDistinct = false;
            while (true) {
                int t = lex.next();
                switch (t) {
                    case SqlLexer.END:
                        return nested != null ? nested : NONE;
                    case SqlLexer.LIMIT:
                        return nested != null ? nested : UNKNOWN;
                    case SqlLexer.SEMICOLON:
                        if (depth == 0) {
                            return nested != null ? nested : NONE;
                        }
                        break;
                    case SqlLexer.OPEN: {
                        int mark = lex.mark();
                        lex.next();
                        boolean subquery = lex.is("SELECT") || lex.is("WITH") || lex.is("VALUES");
                        lex.reset(mark);
                        depth++;
                        if (subquery && depth < 64) {
                            subqueries |= 1L << depth;
                        } else if (depth < 64) {
                            subqueries &= ~(1L << depth);
                        }
                        break;
                    }
                    case SqlLexer.CLOSE:
                        if (depth > 0) {
                            depth--;
                        }
                        break;
                    case SqlLexer.WORD:
                        boolean from = (lex.is("FROM") && !previousDistinct) || lex.is("JOIN");
                        previousDistinct = lex.is("DISTINCT");
                        if (!from || !inQuery(subqueries, depth)) {
                            break;
                        }
                        String table = fromTarget();
                        if (table == UNKNOWN) {
                            return nested != null ? nested : UNKNOWN;
                        }
                        if (table != NONE) {
                            if (depth == 0) {
                                return table;
                            }
                            if (nested == null) {
                                nested = table;
                            }
                        }
                        unread(); // the token after the target is the loop's (a parenthesis, a comma, a JOIN)
                        break;
                    default:
                        previousDistinct = false;
                }
            }
        }

        private static boolean inQuery(long subqueries, int depth) {
            if (depth >= 64) {
                return false;
            }
            for (int d = 1; d <= depth; d++) {
                if ((subqueries & (1L << d)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** After FROM or JOIN: a table name, or NONE for a subquery or a function ({@code unnest($1)}). */
        private String fromTarget() {
            int t = lex.next();
            while (t == SqlLexer.WORD && (lex.is("ONLY") || lex.is("LATERAL"))) {
                t = lex.next();
            }
            if (t == SqlLexer.LIMIT || t == SqlLexer.END) {
                return UNKNOWN; // "FROM" and nothing after it
            }
            if (t != SqlLexer.WORD && t != SqlLexer.QUOTED) {
                return NONE;
            }
            String name = qualifiedName();
            if (name == UNKNOWN) {
                return UNKNOWN;
            }
            return lex.type == SqlLexer.OPEN ? NONE : name; // name(...) is a function
        }

        /** Skips {@code skippable} words (and the optional {@code IF [NOT] EXISTS}), then reads a name. */
        private String targetAfter(String... skippable) {
            int t = lex.next();
            boolean skipped = true;
            while (t == SqlLexer.WORD && skipped) {
                skipped = false;
                for (String word : skippable) {
                    if (lex.is(word)) {
                        t = lex.next();
                        skipped = true;
                        break;
                    }
                }
                if (!skipped && lex.is("IF")) {
                    t = lex.next();
                    if (lex.is("NOT")) {
                        t = lex.next();
                    }
                    if (!lex.is("EXISTS")) {
                        return NONE;
                    }
                    t = lex.next();
                    skipped = true;
                }
            }
            return nameHere();
        }

        /** {@code CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name}: the table; other objects name none. */
        private String ddlTable() {
            int t = lex.next();
            boolean modifier = true;
            while (t == SqlLexer.WORD && modifier) {
                modifier = false;
                for (String word : DDL_MODIFIERS) {
                    if (lex.is(word)) {
                        t = lex.next();
                        modifier = true;
                        break;
                    }
                }
            }
            if (t == SqlLexer.LIMIT) {
                return UNKNOWN;
            }
            if (!lex.is("TABLE")) {
                return NONE;
            }
            return targetAfter("ONLY");
        }

        /** {@code CALL name(...)}: the procedure; {@code CALL 1+1} (H2's expression call) names none. */
        private String procedure() {
            int t = lex.next();
            if (t == SqlLexer.LIMIT) {
                return UNKNOWN;
            }
            if (t != SqlLexer.WORD && t != SqlLexer.QUOTED) {
                return NONE;
            }
            String name = qualifiedName();
            if (name == UNKNOWN) {
                return UNKNOWN;
            }
            int after = lex.type;
            boolean call = after == SqlLexer.OPEN || after == SqlLexer.END || after == SqlLexer.SEMICOLON
                    || (after == SqlLexer.OTHER && lex.text().equals("}"));
            return call ? name : NONE;
        }

        /** The name at the current token, or NONE when the current token is not a name. */
        private String nameHere() {
            int t = lex.type;
            if (t == SqlLexer.LIMIT) {
                return UNKNOWN;
            }
            if (t != SqlLexer.WORD && t != SqlLexer.QUOTED) {
                return NONE;
            }
            return qualifiedName();
        }

        /**
         * Reads {@code a.b."c"} from the current token; leaves the lexer on the token after it. Returns the last
         * part, unquoted and lower-cased, or UNKNOWN when a part is not a plain name.
         */
        private String qualifiedName() {
            String last = nameToken();
            if (last == null) {
                return UNKNOWN;
            }
            while (true) {
                int t = lex.next();
                if (t != SqlLexer.DOT) {
                    return last;
                }
                t = lex.next();
                if (t != SqlLexer.WORD && t != SqlLexer.QUOTED) {
                    return t == SqlLexer.LIMIT ? UNKNOWN : last;
                }
                last = nameToken();
                if (last == null) {
                    return UNKNOWN;
                }
            }
        }

        /** The current WORD or QUOTED token as a normalised name, or null when it is not a plain name. */
        private String nameToken() {
            String raw;
            if (lex.type == SqlLexer.WORD) {
                raw = lex.text();
            } else if (lex.type == SqlLexer.QUOTED) {
                String quoted = lex.text();
                char q = quoted.charAt(0);
                raw = quoted.substring(1, quoted.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
            } else {
                return null;
            }
            if (raw.isEmpty() || raw.length() > MAX_NAME) {
                return null;
            }
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
                    return null;
                }
            }
            return raw.toLowerCase(Locale.ROOT);
        }

        /** From the current OPEN to its CLOSE. */
        private boolean skipParens() {
            int depth = 1;
            while (depth > 0) {
                int t = lex.next();
                if (t == SqlLexer.END || t == SqlLexer.LIMIT) {
                    return false;
                }
                if (t == SqlLexer.OPEN) {
                    depth++;
                } else if (t == SqlLexer.CLOSE) {
                    depth--;
                }
            }
            return true;
        }
    }
}
