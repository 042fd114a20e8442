package dev.coderd.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the declared keys, row for row: a key added without its row (or a row
 * left behind by a removed key) fails here. On failure the message holds the table to paste.
 */
class ConfigTableTest {
    static final String HEADER = "| key (agent argument / YAML) | system property | environment variable | default | meaning |";

    static String table() {
        StringBuilder table = new StringBuilder(HEADER).append('\n').append("|---|---|---|---|---|\n");
        for (ConfigKey<?> key : AgentKeys.all()) {
            String defaultText = key.defaultText().isEmpty() ? "—" : "`" + key.defaultText() + "`";
            table.append("| `").append(key.shortName()).append("` | `").append(key.propertyName()).append("` | `")
                    .append(key.envName()).append("` | ").append(defaultText).append(" | ").append(key.description())
                    .append(" |\n");
        }
        return table.toString();
    }

    @Test
    void theReadmeTableListsEveryDeclaredKey() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int start = readme.indexOf(HEADER);
        assertThat(start).as("README.md has the configuration table header").isNotNegative();
        int end = start;
        while (end < readme.size() && readme.get(end).startsWith("|")) {
            end++;
        }
        String actual = readme.subList(start, end).stream().map(l -> l + "\n").collect(Collectors.joining());
        assertThat(actual).as("README.md's configuration table").isEqualTo(table());
    }

    @Test
    void everyKeyIsDescribedAndNamedOnce() {
        assertThat(AgentKeys.all()).extracting(ConfigKey::shortName).doesNotHaveDuplicates();
        assertThat(AgentKeys.all()).allSatisfy(key -> assertThat(key.description()).endsWith("."));
    }
}
