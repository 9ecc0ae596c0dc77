package dev.tally.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The parser SmallRye JWT's authentication uses, in front of its own: a bearer token verified
 * once is not verified again on every request while it is valid ({@link VerifiedTokens}). Only
 * {@link #parse(String)}, the one the HTTP authentication calls with the configured key and
 * issuer, is cached; every other method goes straight to SmallRye's parser.
 * {@code tally.auth.verified-token-cache=0} turns the cache off.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private final DefaultJWTParser verifier;
    private final VerifiedTokens verified;

    CachingJwtParser(DefaultJWTParser verifier,
                     @ConfigProperty(name = "tally.auth.verified-token-cache", defaultValue = "10000") int capacity,
                     @ConfigProperty(name = "tally.auth.verified-token-max-age", defaultValue = "5m") Duration maxAge) {
        this.verifier = verifier;
        this.verified = new VerifiedTokens(capacity, maxAge, Clock.systemUTC());
        org.jboss.logging.Logger.getLogger(CachingJwtParser.class).infof(
                "Verified bearer tokens are remembered (at most %d, each until its exp and at most %s)", capacity, maxAge);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Optional<JsonWebToken> known = verified.find(token);
        if (known.isPresent()) {
            return known.get();
        }
        JsonWebToken checked = verifier.parse(token);
        verified.remember(token, checked);
        return checked;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
