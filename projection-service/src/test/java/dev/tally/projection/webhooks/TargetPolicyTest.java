package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SSRF: what production refuses, and what the local stack allows. Names resolve through a table here, not DNS. */
class TargetPolicyTest {

    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "rebound.example.com", "10.1.2.3",
            "metadata.example.com", "169.254.169.254");

    private final TargetPolicy production = new TargetPolicy(false, TargetPolicyTest::resolve);
    private final TargetPolicy local = new TargetPolicy(true, TargetPolicyTest::resolve);

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address != null) {
            return new InetAddress[] {InetAddress.getByName(address)};
        }
        if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
            return new InetAddress[] {InetAddress.getByName(host)}; // a literal address: no lookup
        }
        throw new UnknownHostException(host);
    }

    @Test
    void production_accepts_https_to_a_public_address() {
        assertTrue(production.problemWithUrl("https://hooks.example.com/tally?x=1").isEmpty());
        assertTrue(production.problemWithCall("https://hooks.example.com:8443/tally").isEmpty());
        assertTrue(production.problemWithUrl("https://93.184.216.34/").isEmpty());
    }

    @Test
    void production_refuses_plain_http_loopback_private_link_local_and_metadata_targets() {
        for (String url : List.of(
                "http://hooks.example.com/",
                "https://localhost/", "https://api.localhost/", "https://127.0.0.1/", "https://127.1.2.3:8443/",
                "https://[::1]/", "https://0.0.0.0/", "https://[::]/",
                "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/", "https://100.64.0.1/",
                "https://169.254.169.254/latest/meta-data", "https://metadata.example.com/",
                "https://[fd00::1]/", "https://[fe80::1]/", "https://[::ffff:10.0.0.1]/", "https://224.0.0.1/",
                "https://rebound.example.com/")) {
            assertTrue(production.problemWithUrl(url).isPresent(), url + " must be refused");
        }
    }

    @Test
    void a_name_that_does_not_resolve_may_be_subscribed_but_is_not_called() {
        assertTrue(production.problemWithUrl("https://not-yet.example.org/").isEmpty());
        assertEquals("host not-yet.example.org does not resolve", production.problemWithCall("https://not-yet.example.org/").orElseThrow());
    }

    @Test
    void any_profile_refuses_what_is_not_an_absolute_http_url() {
        for (TargetPolicy policy : List.of(production, local)) {
            for (String url : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "/relative", "https://user:pw@hooks.example.com/",
                    "https://hooks.example.com/#fragment", "not a url", "https:///no-host")) {
                assertTrue(policy.problemWithUrl(url).isPresent(), url + " must be refused");
            }
        }
    }

    @Test
    void the_local_stack_allows_http_and_loopback() {
        assertTrue(local.problemWithUrl("http://127.0.0.1:9999/hook").isEmpty());
        assertTrue(local.problemWithUrl("http://localhost:9999/hook").isEmpty());
    }
}
