package dev.tally.projection.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import dev.tally.security.AccessProblem;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhook subscriptions and their deliveries. Who may: an admin, for any scope; a customer, for
 * its own accounts only (an account it owns, or its owner id, which is also the default scope);
 * nobody else. A subscription someone may not see answers 404, as if it did not exist.
 */
@Path("/webhooks")
@Tag(name = "webhooks", description = "Signed notifications of money movements (Standard Webhooks)")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhookResource {

    private static final Set<String> DELIVERY_STATUSES = Set.of(Deliveries.PENDING, Deliveries.DELIVERED,
            Deliveries.PARKED, Deliveries.CANCELLED);

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final WebhookSettings settings;
    private final Webhooks webhooks;
    private final CurrentCaller caller;
    private final AgroalDataSource dataSource;

    WebhookResource(Subscriptions subscriptions, Deliveries deliveries, WebhookSettings settings, Webhooks webhooks,
                    CurrentCaller caller, AgroalDataSource dataSource) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.settings = settings;
        this.webhooks = webhooks;
        this.caller = caller;
        this.dataSource = dataSource;
    }

    /** A subscription as shown; {@code secret} only in the answers that create or rotate it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String id, String url, List<String> events, String accountId, String owner, String status,
                              String statusReason, Instant failingSince, String createdBy, Instant createdAt,
                              String secret, Instant previousSecretValidUntil) {

        static WebhookView of(Subscription s, String secret, Instant previousUntil) {
            return new WebhookView(s.id(), s.url(), s.eventTypes(), s.accountId(), s.owner(), s.status(), s.statusReason(),
                    s.failingSince(), s.createdBy(), s.createdAt(), secret, previousUntil);
        }
    }

    public record TestDelivery(String deliveryId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to event types of one account, one owner's accounts, or (admins) all")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookRequests.Create.class)))
    @APIResponse(responseCode = "201", description = "The subscription, with its secret (shown only here)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: a customer named an account that is not its own")
    public Response create(String body) throws SQLException {
        Caller who = mayManageWebhooks();
        WebhookRequests.Create request = WebhookRequests.create(body, settings.targets());
        String accountId = request.accountId();
        String owner = request.owner();
        String visibleTo;
        if (accountId != null) {
            String accountOwner = ownerOf(accountId);
            if (!who.has(Role.ADMIN) && !who.subject().equals(accountOwner)) {
                throw new ProblemException(Problem.of(404, "not-found", "No account " + accountId));
            }
            visibleTo = accountOwner;
        } else {
            if (owner == null && !who.has(Role.ADMIN)) {
                owner = who.subject(); // a customer's subscription covers its own accounts
            }
            if (owner != null && !who.has(Role.ADMIN) && !who.subject().equals(owner)) {
                throw AccessProblem.forbidden(who.subject() + " may subscribe to its own accounts only, not to owner " + owner);
            }
            visibleTo = owner;
        }
        String secret = request.secret() == null ? Signatures.newSecret() : request.secret();
        Subscription created = new Subscription("wh_" + UUID.randomUUID().toString().replace("-", ""), request.url(),
                request.events(), accountId, owner, visibleTo, secret, null, null, Subscription.ACTIVE, null, null,
                who.subject(), Instant.now());
        subscriptions.create(created);
        return Response.created(URI.create("/webhooks/" + created.id())).entity(WebhookView.of(created, secret, null)).build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "The subscriptions the caller may see (up to 500)")
    @APIResponse(responseCode = "200", description = "Subscriptions, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class, type = SchemaType.ARRAY)))
    public List<WebhookView> list() throws SQLException {
        Caller who = mayManageWebhooks();
        return subscriptions.list(who.has(Role.ADMIN) ? null : who.subject()).stream()
                .map(s -> WebhookView.of(s, null, null)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhook", summary = "One subscription (its secret is never shown again)")
    @APIResponse(responseCode = "200", description = "The subscription",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public WebhookView get(@PathParam("id") String id) throws SQLException {
        return WebhookView.of(visible(id), null, null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Unsubscribe: nothing more is sent, what was pending is cancelled")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public Response delete(@PathParam("id") String id) throws SQLException {
        subscriptions.delete(visible(id).id());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @Operation(operationId = "enableWebhook", summary = "Send again to a subscription that was disabled (failing) or unsubscribed (410)")
    @APIResponse(responseCode = "200", description = "The subscription, ACTIVE",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public WebhookView enable(@PathParam("id") String id) throws SQLException {
        subscriptions.enable(visible(id).id());
        webhooks.wake();
        return get(id);
    }

    @POST
    @Path("/{id}/secret/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rotateWebhookSecret", summary = "A new secret (given or generated); the old one keeps signing beside it for a while")
    @APIResponse(responseCode = "200", description = "The subscription with its new secret (shown only here) and until when the old one signs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public WebhookView rotate(@PathParam("id") String id, String body) throws SQLException {
        Subscription subscription = visible(id);
        String given = WebhookRequests.rotation(body);
        String secret = given == null ? Signatures.newSecret() : given;
        Instant previousUntil = Instant.now().plus(settings.secretOverlap());
        subscriptions.rotate(subscription.id(), secret, previousUntil);
        return WebhookView.of(visible(id), secret, previousUntil);
    }

    @POST
    @Path("/{id}/test")
    @Operation(operationId = "testWebhook", summary = "Send a test delivery (type webhook.test) now")
    @APIResponse(responseCode = "202", description = "Queued; follow it in the deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TestDelivery.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public Response test(@PathParam("id") String id) throws SQLException {
        String deliveryId = deliveries.createTest(visible(id), settings.retryFor());
        webhooks.wake();
        return Response.accepted(new TestDelivery(deliveryId)).build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The subscription's deliveries, newest first, each with its attempts")
    @APIResponse(responseCode = "200", description = "Deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Deliveries.DeliveryView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such subscription, or not the caller's")
    public List<Deliveries.DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("status") String status,
                                                    @QueryParam("limit") Integer limit) throws SQLException {
        Subscription subscription = visible(id);
        String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (wanted != null && !DELIVERY_STATUSES.contains(wanted)) {
            throw new ProblemException(Problem.invalid("status", "must be one of " + DELIVERY_STATUSES));
        }
        int most = limit == null ? 100 : limit;
        if (most < 1 || most > 1000) {
            throw new ProblemException(Problem.invalid("limit", "must be 1 to 1000"));
        }
        return deliveries.list(subscription.id(), wanted, most);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/retry")
    @Operation(operationId = "retryWebhookDelivery", summary = "Send a delivery again (parked, failed or delivered), in its account's order, with a fresh retry window")
    @APIResponse(responseCode = "202", description = "Queued again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Deliveries.DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such delivery of this subscription")
    @APIResponse(responseCode = "409", description = "`delivery-in-flight`: an attempt is under way; or `delivery-cancelled`")
    public Response retry(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) throws SQLException {
        Subscription subscription = visible(id);
        Deliveries.DeliveryView delivery = deliveries.one(subscription.id(), deliveryId)
                .orElseThrow(() -> new ProblemException(Problem.of(404, "not-found", "No delivery " + deliveryId + " of " + id)));
        if (!deliveries.retry(subscription.id(), deliveryId, settings.retryFor())) {
            throw new ProblemException(Deliveries.CANCELLED.equals(delivery.status())
                    ? Problem.of(409, "delivery-cancelled", "Delivery " + deliveryId + " was cancelled with its subscription")
                    : Problem.of(409, "delivery-in-flight", "Delivery " + deliveryId + " is being sent; look again in a moment"));
        }
        webhooks.wake();
        return Response.accepted(deliveries.one(subscription.id(), deliveryId).orElseThrow()).build();
    }

    private Caller mayManageWebhooks() {
        Caller who = caller.get();
        return who.has(Role.ADMIN) ? who : who.require("manage webhooks", Role.ADMIN, Role.CUSTOMER);
    }

    /** The subscription if the caller may see it; 404 otherwise, as for one that does not exist. */
    private Subscription visible(String id) throws SQLException {
        Caller who = mayManageWebhooks();
        return subscriptions.find(id)
                .filter(s -> who.has(Role.ADMIN) || who.subject().equals(s.visibleTo()))
                .orElseThrow(() -> new ProblemException(Problem.of(404, "not-found", "No webhook subscription " + id)));
    }

    private String ownerOf(String accountId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return WebhookReactor.owners(connection, List.of(accountId)).get(accountId);
        }
    }
}
