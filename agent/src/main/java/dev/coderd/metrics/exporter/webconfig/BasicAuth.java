package dev.coderd.metrics.exporter.webconfig;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code basic_auth_users}: user names and bcrypt hashes, checked the way the exporter-toolkit checks them.
 *
 * <pre>
 * Boolean known = auth.cached(request.header("Authorization")); // the answer, or null: run verify() off the loop
 * boolean ok = known != null ? known : auth.verify(header);     // bcrypt: tens of milliseconds
 * </pre>
 *
 * <p>Constant work for strangers: an unknown user is checked against a dummy hash of the configured users'
 * highest cost, so a wrong user name takes as long as a wrong password and no timing tells which names
 * exist. Verified answers (right or wrong) are cached by a SHA-256 of user, hash and password, at most
 * {@link #CACHE_SIZE} of them, so Prometheus's scrapes every few seconds cost one bcrypt, not one each.
 * The cache goes with the configuration: a changed file starts a new one.
 */
public final class BasicAuth {
    static final int CACHE_SIZE = 256;
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    /** The slow check; bcrypt in the agent, a counting stand-in in tests. */
    interface PasswordCheck {
        boolean matches(byte[] password, String hash);
    }

    static final PasswordCheck BCRYPT = (password, hash) -> BCrypt.verifyer(null,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A)).verify(password, hash.getBytes(StandardCharsets.US_ASCII)).verified;

    private final Map<String, String> users;
    private final String dummyHash;
    private final PasswordCheck check;
    private final Map<ByteBuffer, Boolean> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    BasicAuth(Map<String, String> users, String dummyHash, PasswordCheck check) {
        this.users = users;
        this.dummyHash = dummyHash;
        this.check = check;
    }

    /** Validates every hash and makes the dummy one; {@code users} maps names to bcrypt hashes. */
    static BasicAuth of(Map<String, String> users, PasswordCheck check) throws WebConfigException {
        int maxCost = 4;
        for (Map.Entry<String, String> user : users.entrySet()) {
            Matcher m = HASH.matcher(user.getValue());
            if (!m.matches()) {
                throw new WebConfigException("basic_auth_users: the password of '" + user.getKey()
                        + "' is not a bcrypt hash ($2y$10$ followed by 53 characters; htpasswd -nBC 10 \"\" makes one)");
            }
            int cost = Integer.parseInt(m.group(1));
            if (cost < 4 || cost > 31) {
                throw new WebConfigException("basic_auth_users: the bcrypt cost of '" + user.getKey() + "' is " + cost
                        + "; bcrypt takes 4 to 31");
            }
            maxCost = Math.max(maxCost, cost);
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String dummy = BCrypt.withDefaults().hashToString(maxCost, Base64.getEncoder().encodeToString(random).toCharArray());
        return new BasicAuth(Map.copyOf(users), dummy, check);
    }

    public int size() {
        return users.size();
    }

    /** The cached answer for this {@code Authorization} header, or null when bcrypt must run ({@link #verify}). */
    public Boolean cached(String authorization) {
        String[] credentials = credentials(authorization);
        if (credentials == null) {
            return Boolean.FALSE;
        }
        return cache.get(key(credentials[0], hashOf(credentials[0]), credentials[1]));
    }

    /** Runs bcrypt (tens of milliseconds, on a worker) and caches the answer. */
    public boolean verify(String authorization) {
        String[] credentials = credentials(authorization);
        if (credentials == null) {
            return false;
        }
        String hash = hashOf(credentials[0]);
        boolean known = users.containsKey(credentials[0]);
        boolean ok = check.matches(credentials[1].getBytes(StandardCharsets.UTF_8), hash) && known;
        cache.put(key(credentials[0], hash, credentials[1]), ok);
        return ok;
    }

    private String hashOf(String user) {
        String hash = users.get(user);
        return hash != null ? hash : dummyHash;
    }

    /** {user, password} from {@code Basic base64(user:password)}, or null. */
    private static String[] credentials(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static ByteBuffer key(String user, String hash, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(hash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
