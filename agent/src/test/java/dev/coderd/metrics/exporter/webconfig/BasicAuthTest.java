package dev.coderd.metrics.exporter.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    static final String ALICE = "$2y$12$nFxSyFUhekm05NgJG5A5DuVW9c4zMISDyW/3UtnUnW1ThjYVcNkFu";
    static final String BOB = "$2a$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

    /** The hashes bcrypt was asked to check, in order; the password "right" matches any hash. */
    private final List<String> checked = new ArrayList<>();
    private final BasicAuth auth = BasicAuth.of(Map.of("alice", ALICE, "bob", BOB), (password, hash) -> {
        checked.add(hash);
        return new String(password, StandardCharsets.UTF_8).equals("right");
    });

    BasicAuthTest() throws WebConfigException {}

    private static String header(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRightPasswordIsVerifiedOnceThenAnsweredFromTheCache() {
        assertThat(auth.cached(header("alice", "right"))).isNull();
        assertThat(auth.verify(header("alice", "right"))).isTrue();
        assertThat(auth.cached(header("alice", "right"))).isTrue();
        assertThat(auth.cached(header("alice", "wrong"))).isNull();
        assertThat(auth.verify(header("alice", "wrong"))).isFalse();
        assertThat(auth.cached(header("alice", "wrong"))).isFalse();
        assertThat(checked).containsExactly(ALICE, ALICE);
    }

    @Test
    void anUnknownUserCostsOneBcryptOfTheHighestConfiguredCostLikeAWrongPassword() {
        assertThat(auth.verify(header("mallory", "right"))).isFalse(); // "right" matches the dummy: still refused
        assertThat(auth.verify(header("mallory", "wrong"))).isFalse();
        assertThat(checked).hasSize(2);
        assertThat(checked.get(0)).isEqualTo(checked.get(1)).isNotIn(ALICE, BOB).startsWith("$2a$12$").hasSize(60);
    }

    @Test
    void aMissingOrMalformedHeaderIsRefusedWithoutBcrypt() {
        for (String h : new String[] {null, "Bearer x", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())}) {
            assertThat(auth.cached(h)).as(h).isFalse();
            assertThat(auth.verify(h)).as(h).isFalse();
        }
        assertThat(checked).isEmpty();
    }

    @Test
    void realBcryptChecksTheHashesHtpasswdAndGoWrite() {
        String s3cret = "$2y$10$nFxSyFUhekm05NgJG5A5DuVW9c4zMISDyW/3UtnUnW1ThjYVcNkFu";
        assertThat(BasicAuth.BCRYPT.matches("s3cret".getBytes(StandardCharsets.UTF_8), s3cret)).isTrue();
        assertThat(BasicAuth.BCRYPT.matches("S3cret".getBytes(StandardCharsets.UTF_8), s3cret)).isFalse();
        assertThat(BasicAuth.BCRYPT.matches("fakepassword".getBytes(StandardCharsets.UTF_8), BOB.replace("$2a$", "$2y$"))).isTrue();
        assertThat(BasicAuth.BCRYPT.matches("x".repeat(100).getBytes(StandardCharsets.UTF_8), s3cret)).isFalse();
    }
}
