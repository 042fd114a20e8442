package dev.coderd.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * The claims of a Coder license as {@code POST /api/v2/licenses} receives it, {@code {"license": "<JWT>"}}: issued
 * at {@code iat}, expiring at {@code license_expires} (Coder's own claim; {@code exp} when absent), with
 * {@code features.user_limit} users. A test service: the signature is not checked.
 */
record CoderLicense(Instant issuedAt, Instant expiresAt, int userLimit) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The license's claims; {@link IllegalArgumentException} says what is missing. */
    static CoderLicense parse(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("license must be a JWT (header.payload.signature)");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("license payload is not base64url JSON");
        }
        JsonNode expires = claims.hasNonNull("license_expires") ? claims.get("license_expires") : claims.get("exp");
        JsonNode limit = claims.path("features").get("user_limit");
        if (!claims.path("iat").canConvertToLong() || expires == null || !expires.canConvertToLong()
                || limit == null || !limit.canConvertToInt()) {
            throw new IllegalArgumentException("license needs the claims iat, license_expires and features.user_limit");
        }
        return new CoderLicense(Instant.ofEpochSecond(claims.get("iat").asLong()), Instant.ofEpochSecond(expires.asLong()), limit.asInt());
    }
}
