package dev.coderd.metrics.sqlgauge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlGaugeDefinitionsTest {
    @Test
    void theLicenseRulesAreTheContractsFiveFamiliesWithTheirHelp() {
        List<SqlGauge> license = SqlGaugeDefinitions.license();
        assertThat(license).extracting(SqlGauge::name, SqlGauge::help, SqlGauge::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("coderd_license_expires_at_unix", "Unix timestamp of the license expiry date.", ValueKind.UNIX_SECONDS),
                org.assertj.core.groups.Tuple.tuple("coderd_license_issued_at_unix", "Unix timestamp of the license issue date.", ValueKind.UNIX_SECONDS),
                org.assertj.core.groups.Tuple.tuple("coderd_license_time_until_expires_days", "Number of days until the license expires.", ValueKind.DAYS_UNTIL),
                org.assertj.core.groups.Tuple.tuple("coderd_license_user_count", "Number of active (non-dormant) users.", ValueKind.NUMBER),
                org.assertj.core.groups.Tuple.tuple("coderd_license_user_limit", "Number of users allowed by the license.", ValueKind.NUMBER));
        assertThat(license).allSatisfy(g -> assertThat(g.labels()).isEmpty());
    }

    @Test
    void aGaugeWithEveryFieldAndOneOfTheSameNameReplacingALicenseGauge() {
        List<SqlGauge> file = SqlGaugeDefinitions.parse("""
                gauges:
                  - name: coderd_license_user_limit
                    help: Seats bought.
                    query: SELECT seats, edition FROM subscription
                    value: seats
                    as: number
                    labels: [edition]
                  - name: coderd_templates
                    help: Templates by provisioner.
                    query: SELECT provisioner, count(*) AS n FROM templates GROUP BY provisioner
                    value: n
                    labels: [provisioner]
                """);
        assertThat(file.get(0)).isEqualTo(new SqlGauge("coderd_license_user_limit", "Seats bought.",
                "SELECT seats, edition FROM subscription", "seats", ValueKind.NUMBER, List.of("edition")));
        List<SqlGauge> merged = SqlGaugeDefinitions.merge(SqlGaugeDefinitions.license(), file);
        assertThat(merged).extracting(SqlGauge::name).containsExactly("coderd_license_expires_at_unix",
                "coderd_license_issued_at_unix", "coderd_license_time_until_expires_days", "coderd_license_user_count",
                "coderd_license_user_limit", "coderd_templates");
        assertThat(merged.get(4).help()).isEqualTo("Seats bought.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gauges: [{name: a-b, help: h, query: SELECT 1}]                 | gauges[0].name: 'a-b' is not a valid metric name",
            "gauges: [{name: a, help: h}]                                    | gauges[0].query: required",
            "gauges: [{name: a, query: SELECT 1}]                            | gauges[0].help: required",
            "gauges: [{name: a, help: h, query: 'SELECT 1; DELETE FROM t'}]  | gauges[0].query: must be one statement: nothing may follow its ';'",
            "gauges: [{name: a, help: h, query: UPDATE t SET x = 1}]         | gauges[0].query: must be one SELECT (or WITH ... SELECT) statement",
            "gauges: [{name: a, help: h, query: SELECT 1, as: hours}]        | gauges[0].as: 'hours' is not number, unix_seconds or days_until",
            "gauges: [{name: a, help: h, query: SELECT 1, labels: [__x]}]    | gauges[0].labels: '__x' is not a valid label name",
            "gauges: [{name: a, help: h, query: SELECT 1, labels: x}]        | gauges[0].labels: expected a list of column names",
            "gauges: [{name: a, help: h, query: SELECT 1, colour: red}]      | gauges[0].colour: unknown field",
            "gauges: [{name: a, help: h, query: SELECT 1}, {name: a, help: h, query: SELECT 2}] | gauges[1].name: 'a' is declared twice",
            "gauges: {name: a}                                               | gauges: expected a list",
            "metrics: []                                                     | expected one key, 'gauges', holding a list"})
    void theFirstProblemIsNamedByEntryAndField(String yaml, String message) {
        assertThatThrownBy(() -> SqlGaugeDefinitions.parse(yaml)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
