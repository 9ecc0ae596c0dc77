package dev.tally.query.subjects;

import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import dev.tally.schemas.KafkaConnection;
import dev.tally.schemas.personal.KeyRing;
import dev.tally.schemas.personal.MasterKey;
import dev.tally.schemas.personal.PersonalDataCipher;
import dev.tally.schemas.personal.SealedText;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reveals the personal values the read models keep sealed (issue 16): PostgreSQL holds them as the
 * events carried them, and they are opened only here, on the way out, with the keys of
 * {@code tally.ledger.subject-keys}. A forgotten subject's values read {@code [erased]}.
 *
 * <p>The key ring starts with the service when Kafka is configured, and again on first use if its
 * reader has died (a broker unreachable for longer than a read allows), so one failure does not
 * stop revealing for good. If the keys cannot be read in time, the answer is a 503, never the sealed
 * text and never a false "erased".
 */
@ApplicationScoped
public class PersonalData {

    private static final Logger LOG = Logger.getLogger(PersonalData.class);

    private final Config config;
    private final Optional<String> masterKey;
    private final Duration catchUpWait;
    private volatile KeyRing ring;

    PersonalData(Config config, @ConfigProperty(name = MasterKey.PROPERTY) Optional<String> masterKey,
                 @ConfigProperty(name = "tally.subject-keys.wait", defaultValue = "5s") Duration catchUpWait) {
        this.config = config;
        this.masterKey = masterKey;
        this.catchUpWait = catchUpWait;
    }

    void start(@Observes StartupEvent started) {
        if (config.getOptionalValue("kafka.bootstrap.servers", String.class).isPresent()) {
            ring();
        } else {
            LOG.warn("kafka.bootstrap.servers is not set: sealed personal values cannot be revealed until it is");
        }
    }

    /** The text itself if it is not sealed; the opened value, or [erased] once its subject is forgotten. */
    public String reveal(String text) {
        if (!SealedText.isSealed(text)) {
            return text;
        }
        try {
            return PersonalDataCipher.reveal(text, ring());
        } catch (IllegalStateException keysUnreadable) {
            throw new ProblemException(Problem.of(503, "personal-data-unavailable",
                    "The keys of personal data could not be read in time; retry shortly"));
        }
    }

    /** The running key ring; started (again) under the lock only when there is none or it died. */
    private KeyRing ring() {
        KeyRing current = ring;
        return current != null && current.running() ? current : restartedRing();
    }

    private synchronized KeyRing restartedRing() {
        if (ring == null || !ring.running()) {
            if (ring != null) {
                LOG.warn("The subject key reader had stopped; starting it again");
                ring.close();
            }
            ring = new KeyRing(KafkaConnection.settings(name -> config.getOptionalValue(name, String.class)),
                    MasterKey.from(masterKey), catchUpWait).start();
        }
        return ring;
    }

    @PreDestroy
    synchronized void stop() {
        if (ring != null) {
            ring.close();
        }
    }
}
