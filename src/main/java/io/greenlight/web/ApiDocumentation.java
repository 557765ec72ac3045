package io.greenlight.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The REST API's OpenAPI description at {@code /v3/api-docs}, browsable at {@code /swagger-ui.html}: generated from the
 * controllers, with the request and response examples of docs/api.md ({@code openapi/examples.json}, by operation
 * id). {@code ApiDocumentationTest} fails when the controllers and {@code docs/openapi.json} or the examples drift apart.
 */
@Configuration
class ApiDocumentation {

  static final String API_KEY = "apiKey";
  static final String DIRECTORY_USER = "directoryUser";
  static final String TWILIO_SIGNATURE = "twilioSignature";
  static final String SLACK_SIGNATURE = "slackSignature";
  static final String EXAMPLES = "openapi/examples.json";

  /** Examples of one operation: its request body and its answers by status code. */
  record OperationExamples(JsonNode request, Map<String, JsonNode> responses) {}

  @Bean
  OpenAPI greenlightApi() {
    return new OpenAPI()
        .info(new Info().title("Greenlight API")
            .description("Deployment approvals for CI pipelines. CI pipelines use an API key (Bearer); approvers and admins "
                + "their directory user (HTTP Basic). Errors are JSON {error, message, field} with a 4xx status. "
                + "See README.md and docs/api.md.")
            .version("v1")
            .license(new License().name("Greenlight")))
        .servers(List.of(new Server().url("/").description("this Greenlight")))
        .components(new Components()
            .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A CI key of the directory file (api-clients), limited to its project globs"))
            .addSecuritySchemes(DIRECTORY_USER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A directory user and password"))
            .addSecuritySchemes(TWILIO_SIGNATURE, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-Twilio-Signature")
                .description("Twilio's signature of greenlight.public-base-url + path and the form parameters"))
            .addSecuritySchemes(SLACK_SIGNATURE, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-Slack-Signature")
                .description("Slack's v0 signature (HMAC-SHA256 with the app's signing secret) of X-Slack-Request-Timestamp and the raw body")));
  }

  @Bean
  OpenApiCustomizer productExamples(ObjectMapper json) {
    Map<String, OperationExamples> examples = readExamples(json);
    return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
      OperationExamples these = examples.get(operation.getOperationId());
      if (these != null) {
        addExamples(openApi, operation, these);
      }
    }));
  }

  private static void addExamples(OpenAPI openApi, Operation operation, OperationExamples examples) {
    if (examples.request() != null && operation.getRequestBody() != null) {
      operation.getRequestBody().getContent().values().forEach(media -> media.setExample(examples.request()));
    }
    if (examples.responses() == null) {
      return;
    }
    examples.responses().forEach((status, body) -> {
      // Error answers come from the exception handler, which the generator cannot see per operation: the example
      // documents the answer.
      ApiResponse response = operation.getResponses().computeIfAbsent(status, code -> new ApiResponse()
          .description(HttpStatus.valueOf(Integer.parseInt(code)).getReasonPhrase())
          .content(new Content().addMediaType("application/json",
              new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ApiError.class.getSimpleName())))));
      if (response.getContent() != null) {
        response.getContent().values().forEach(media -> media.addExamples("example", new Example().value(body)));
      }
    });
    if (openApi.getComponents().getSchemas() == null
        || !openApi.getComponents().getSchemas().containsKey(ApiError.class.getSimpleName())) {
      ModelConverters.getInstance().read(ApiError.class).forEach(openApi.getComponents()::addSchemas);
    }
  }

  static Map<String, OperationExamples> readExamples(ObjectMapper json) {
    try (InputStream in = ApiDocumentation.class.getClassLoader().getResourceAsStream(EXAMPLES)) {
      if (in == null) {
        throw new IllegalStateException(EXAMPLES + " is missing from the classpath");
      }
      return json.readValue(in, new TypeReference<Map<String, OperationExamples>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
