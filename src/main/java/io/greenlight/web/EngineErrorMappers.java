package io.greenlight.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandler;
import org.camunda.bpm.engine.rest.exception.JsonMappingExceptionHandler;
import org.camunda.bpm.engine.rest.exception.JsonParseExceptionHandler;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camunda's REST API ({@code /engine-rest}, and {@code /camunda/api} behind the webapps) answers an error with the
 * exception's class and message: Jackson's parse errors with the DTO classes they were reading, a failed cast with
 * the class loader's words, any other engine failure as a 500 with its internals. These exception mappers take the
 * place of Camunda's own in its JAX-RS applications ({@link WebConfiguration} registers them): Camunda's mapper still
 * decides the status and the shape ({@code type}, {@code message}, and the fields it adds), so Tasklist, Cockpit and
 * Camunda Modeler show errors as before; a type that is not one of Camunda's documented REST error types and a message
 * that names classes become plain words, and a 5xx says only that it failed, with a reference to the log line that has
 * the rest.
 *
 * <p>JAX-RS picks the mapper of the nearest exception type, so there is one for each type Camunda and Jackson map, each
 * preferred to theirs by its {@link Priority}. Answers made before a request reaches JAX-RS need none: the engine REST
 * API's authentication filter answers 401 with no body, the webapps' authentication and CSRF filters a bare status
 * that Spring Boot's error page renders without the exception or its message ({@code server.error.include-*} are
 * {@code never} by default), and {@link RequestBodyGuard} answers in Greenlight's own words.
 */
public final class EngineErrorMappers {

  /** Ahead of Camunda's and Jackson's mappers (which have the default, {@code Priorities.USER}). */
  private static final int BEFORE_CAMUNDAS = 100;

  /** Every mapper, as Jersey is given them. */
  static final List<Class<?>> ALL = List.of(AnyFailure.class, EngineFailure.class, RestFailure.class,
      UnmappableJson.class, UnparsableJson.class);

  private static final Logger log = LoggerFactory.getLogger(EngineErrorMappers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The error types Camunda's REST API documents; any other type is a class name from deeper down. */
  static final Set<String> DOCUMENTED_TYPES = Set.of("InvalidRequestException", "RestException", "AuthorizationException",
      "ProcessEngineException", "BadUserRequestException", "NullValueException", "OptimisticLockingException",
      "FormFieldValidationException", "NotFoundException", "ParseException", "MigratingProcessInstanceValidationException");

  /** A Java class name (org.example.Thing), an exception's name, or Jackson's and the class loader's words. */
  static final Pattern INTERNALS = Pattern.compile(
      "([a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*|\\b\\w+(Exception|Error)\\b|com\\.fasterxml|jackson|class ?loader|\\tat |cannot be cast"
          + "|\\bCannot (de)?serialize|\\bSource: |reference chain|JsonToken|\\$\\w+",
      Pattern.CASE_INSENSITIVE);

  /** How the engine says that what was asked for does not exist. */
  private static final Pattern NOT_FOUND = Pattern.compile("Cannot find \\w+ with id|\\bis null$|\\bnot found\\b",
      Pattern.CASE_INSENSITIVE);

  private EngineErrorMappers() {}

  /** Anything else Camunda maps: WebApplicationException (404, 405, 415 of JAX-RS itself), any unexpected failure. */
  @Priority(BEFORE_CAMUNDAS)
  public static final class AnyFailure implements ExceptionMapper<Throwable> {
    private final ExceptionHandler camunda = new ExceptionHandler();
    @Context private UriInfo uri;
    @Context private Request request;

    @Override
    public Response toResponse(Throwable failure) {
      return plain(camunda.toResponse(failure), failure, request, uri);
    }
  }

  @Priority(BEFORE_CAMUNDAS)
  public static final class EngineFailure implements ExceptionMapper<ProcessEngineException> {
    private final ProcessEngineExceptionHandler camunda = new ProcessEngineExceptionHandler();
    @Context private UriInfo uri;
    @Context private Request request;

    @Override
    public Response toResponse(ProcessEngineException failure) {
      return plain(camunda.toResponse(failure), failure, request, uri);
    }
  }

  @Priority(BEFORE_CAMUNDAS)
  public static final class RestFailure implements ExceptionMapper<RestException> {
    private final RestExceptionHandler camunda = new RestExceptionHandler();
    @Context private UriInfo uri;
    @Context private Request request;

    @Override
    public Response toResponse(RestException failure) {
      return plain(camunda.toResponse(failure), failure, request, uri);
    }
  }

  @Priority(BEFORE_CAMUNDAS)
  public static final class UnmappableJson implements ExceptionMapper<JsonMappingException> {
    private final JsonMappingExceptionHandler camunda = new JsonMappingExceptionHandler();
    @Context private UriInfo uri;
    @Context private Request request;

    @Override
    public Response toResponse(JsonMappingException failure) {
      return plain(camunda.toResponse(failure), failure, request, uri);
    }
  }

  @Priority(BEFORE_CAMUNDAS)
  public static final class UnparsableJson implements ExceptionMapper<JsonParseException> {
    private final JsonParseExceptionHandler camunda = new JsonParseExceptionHandler();
    @Context private UriInfo uri;
    @Context private Request request;

    @Override
    public Response toResponse(JsonParseException failure) {
      return plain(camunda.toResponse(failure), failure, request, uri);
    }
  }

  /** Camunda's answer to {@code failure}, in plain words; a success (which no mapper makes) is left as it is. */
  static Response plain(Response camunda, Throwable failure, Request request, UriInfo uri) {
    int status = camunda.getStatus();
    if (status < 400) {
      return camunda;
    }
    ObjectNode answer = asObject(camunda.getEntity());
    String type = answer.path("type").asText("");
    String message = answer.path("message").asText("");
    String method = request == null ? "?" : request.getMethod();
    String path = uri == null ? "?" : "/" + uri.getPath();
    if (status >= 500 && NOT_FOUND.matcher(message).find()) {
      // Camunda answers a task, execution or definition that does not exist (any more) with a 500.
      status = 404;
    }
    if (!DOCUMENTED_TYPES.contains(type)) {
      answer.put("type", status >= 500 ? "RestException" : "InvalidRequestException");
    }
    if (status >= 500) {
      String reference = UUID.randomUUID().toString().substring(0, 8);
      log.warn("Engine REST {} {} answered {} (reference {}): {} {}", method, path, status, reference, type, message, failure);
      answer.put("message", "The engine could not do this; the server log says why (reference " + reference + ").");
    } else if (message.isEmpty() || INTERNALS.matcher(message).find()) {
      log.debug("Engine REST {} {} answered {}: {} {}", method, path, status, type, message);
      answer.put("message", plainWords(status));
    }
    try {
      // As text: every one of Camunda's JAX-RS applications can write a String, not all of them a JSON tree.
      return Response.fromResponse(camunda).status(status).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(JSON.writeValueAsString(answer)).build();
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static ObjectNode asObject(Object entity) {
    if (entity == null) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode tree = entity instanceof String text ? JSON.readTree(text) : JSON.valueToTree(entity);
      return tree instanceof ObjectNode object ? object : JSON.createObjectNode();
    } catch (JsonProcessingException | IllegalArgumentException notJson) {
      return JSON.createObjectNode();
    }
  }

  static String plainWords(int status) {
    return switch (status) {
      case 401 -> "Sign in first: this needs a directory user's name and password.";
      case 403 -> "You may not do this.";
      case 404 -> "There is no such thing here.";
      case 405 -> "This method is not allowed here.";
      case 413 -> "The request body is too large.";
      case 415 -> "This content type is not accepted here.";
      default -> "The request is not valid: check its JSON, its variables' types and values, and its parameters.";
    };
  }
}
