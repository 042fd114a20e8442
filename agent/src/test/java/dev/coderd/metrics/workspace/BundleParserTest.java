package dev.coderd.metrics.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BundleParserTest {
    static final String HEAD = "{\"workspace_id\":\"w1\",\"user_id\":\"u1\",\"agent_name\":\"main\",\"metrics\":[";

    @Test
    void readsTheContractsExample() throws BadBundle {
        Bundle b = BundleParser.parse((HEAD + "{\"name\":\"agent_sessions_total\",\"type\":\"counter\",\"value\":3,"
                + "\"labels\":[{\"name\":\"z\",\"value\":\"1\"},{\"name\":\"magic_type\",\"value\":\"ssh\"}],\"extra\":{}}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(b.workspaceId()).isEqualTo("w1");
        assertThat(b.samples()).hasSize(1);
        assertThat(b.samples().get(0).labelNames()).containsExactly("magic_type", "z");
        assertThat(b.samples().get(0).labelValues()).containsExactly("ssh", "1");
        assertThat(b.samples().get(0).value()).isEqualTo(3.0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"bad-name","type":"gauge","value":1}]}                                   | metrics[0].name: 'bad-name' is not a valid metric name
            {"name":"x","type":"histogram","value":1}]}                                      | metrics[0].type: 'histogram' is not counter or gauge
            {"name":"x","type":"gauge","value":1e999}]}                                      | metrics[0].value: not a finite number
            {"name":"x","type":"gauge","value":"1"}]}                                        | metrics[0].value: must be a number
            {"name":"x","type":"gauge","value":1,"labels":[{"name":"workspace_id","value":"a"}]}]} | metrics[0].labels[0].name: 'workspace_id' is reserved
            {"name":"x","type":"gauge","value":1,"labels":[{"name":"__x","value":"a"}]}]}   | metrics[0].labels[0].name: '__x' is reserved
            {"name":"x","type":"gauge","value":1,"labels":[{"name":"a.b","value":"a"}]}]}   | metrics[0].labels[0].name: 'a.b' is not a valid label name
            {"name":"x","type":"gauge","value":1},{"name":"x","type":"gauge","value":2}]}   | metrics[1]: duplicate series x with the same labels in one bundle
            {"name":"x","type":"gauge","value":1},{"name":"x","type":"counter","value":2,"labels":[{"name":"a","value":"b"}]}]} | metrics[1].type: x is both a counter and a gauge in this bundle
            {"name":"x","type":"gauge"}]}                                                    | metrics[0].value: required
            {"name":"x","type":"gauge","value":1}                                            | malformed JSON: Unexpected end-of-input: expected close marker for Array (line 1, column 105)
            """)
    void refusesWithAMessageNamingTheFirstBadField(String metrics, String message) {
        assertThatThrownBy(() -> BundleParser.parse((HEAD + metrics).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadBundle.class).hasMessage(message);
    }

    @Test
    void requiresTheWorkspace() {
        assertThatThrownBy(() -> BundleParser.parse("{\"metrics\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("workspace_id: required");
        assertThatThrownBy(() -> BundleParser.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the body must be a JSON object");
    }
}
