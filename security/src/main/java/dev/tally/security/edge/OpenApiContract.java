package dev.tally.security.edge;

import dev.tally.problems.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What every operation of the three services has in common, added to the OpenAPI documents they
 * serve (each names this class in {@code mp.openapi.filter}): the bearer token every API call needs,
 * the {@code Problem} schema, and the problem+json answers any call can get (400, 401, 403, 500).
 * An error response a resource declares without content gets the problem+json content here, so the
 * resources only say which codes they answer and why.
 */
public class OpenApiContract implements OASFilter {

    /** The name of the security scheme, as operations and the document's {@code security} refer to it. */
    public static final String BEARER = "bearer";
    /** The name of the problem+json schema; {@code @Schema(ref = "Problem")} refers to it. */
    public static final String PROBLEM = "Problem";

    private static final Map<String, String> EVERY_OPERATION = new TreeMap<>(Map.of(
            "400", "`validation`: a malformed body, parameter or header; `errors`, where given, lists what to fix",
            "401", "`unauthorized`: no bearer token, or one that is not valid",
            "403", "`forbidden`: the token's roles do not allow this",
            "500", "`internal-error`: a bug; nothing was changed"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() != null ? openAPI.getComponents() : OASFactory.createComponents();
        openAPI.setComponents(components);
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("A JWT whose `sub` is the caller and whose `groups` hold its roles "
                        + "(`customer`, `teller`, `auditor`, `admin`)."));
        components.addSchema(PROBLEM, problem());
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER)));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                withProblems(operation);
            }
        }
    }

    private static void withProblems(Operation operation) {
        APIResponses responses = operation.getResponses() != null ? operation.getResponses()
                : OASFactory.createAPIResponses();
        operation.setResponses(responses);
        EVERY_OPERATION.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
            }
        });
        // In status order whatever order they were declared and added in: the served document is
        // compared byte for byte with the checked-in one.
        responses.setAPIResponses(new LinkedHashMap<>(new TreeMap<>(responses.getAPIResponses())));
        for (Map.Entry<String, APIResponse> entry : responses.getAPIResponses().entrySet()) {
            APIResponse response = entry.getValue();
            boolean error = entry.getKey().startsWith("4") || entry.getKey().startsWith("5");
            if (error && (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(PROBLEM)));
    }

    /** RFC 9457 with Tally's {@code code}; {@code errors} on validation problems, {@code transfer} on a refund. */
    private static Schema problem() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", text).addProperty("message", text).required(List.of("field", "message"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An error, as `application/problem+json` (RFC 9457). Branch on `code`; "
                        + "treat an unknown `code` by its `status`.")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri")
                        .description("`https://tally.dev/problems/<code>`"))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", text)
                .addProperty("code", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("A stable code, such as `validation`, `account-not-found`, `insufficient-funds`"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)
                        .description("On `validation` problems: what to fix"))
                .addProperty("transfer", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                        .description("On a refunded transfer's 422: the transfer, with `status` `REFUNDED`"))
                .required(List.of("type", "title", "status", "code"));
    }
}
