package io.greenlight.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camunda's REST API ({@code /engine-rest}, and {@code /camunda/api} behind the webapps) answers an error with the
 * exception's class and message: Jackson's parse errors with the DTO classes they were reading, a failed cast with
 * the class loader's words, any other engine failure as a 500 with its internals. Its error answers pass through here:
 * the shape stays Camunda's ({@code type}, {@code message}, and the fields it adds), so Tasklist, Cockpit and Camunda
 * Modeler show them as before; a type that is not one of Camunda's documented REST error types and a message that
 * names classes become plain words, and a 5xx says only that it failed, with a reference to the log line that has
 * the rest. Successful answers are not touched, nor buffered.
 */
public class EngineErrorAnswers extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(EngineErrorAnswers.class);
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

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ErrorCapturingResponse capturing = new ErrorCapturingResponse(response);
    chain.doFilter(request, capturing);
    if (capturing.isError() && !capturing.bodyPassedThrough) {
      writePlain(request, response, capturing);
    }
  }

  private void writePlain(HttpServletRequest request, HttpServletResponse response, ErrorCapturingResponse error)
      throws IOException {
    error.flushBody();
    int status = error.status;
    ObjectNode answer = parse(error.body.toByteArray());
    String type = answer.path("type").asText("");
    String message = answer.path("message").asText("");
    if (status >= 500 && NOT_FOUND.matcher(message).find()) {
      // Camunda answers a task, execution or definition that does not exist (any more) with a 500.
      status = 404;
    }
    if (!DOCUMENTED_TYPES.contains(type)) {
      answer.put("type", status >= 500 ? "RestException" : "InvalidRequestException");
    }
    if (status >= 500) {
      String reference = UUID.randomUUID().toString().substring(0, 8);
      log.warn("Engine REST {} {} answered {} (reference {}): {} {}", request.getMethod(), request.getRequestURI(), status,
          reference, type, message);
      answer.put("message", "The engine could not do this; the server log says why (reference " + reference + ").");
    } else if (message.isEmpty() || INTERNALS.matcher(message).find()) {
      log.debug("Engine REST {} {} answered {}: {} {}", request.getMethod(), request.getRequestURI(), status, type, message);
      answer.put("message", plainWords(status));
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    if (!response.isCommitted()) {
      response.resetBuffer();
      response.setStatus(status);
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setContentLength(body.length);
    }
    response.getOutputStream().write(body);
  }

  private static ObjectNode parse(byte[] body) {
    try {
      JsonNode parsed = body.length == 0 ? null : JSON.readTree(body);
      if (parsed instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException notJson) {
      // an HTML error page or plain text: replaced below
    }
    return JSON.createObjectNode();
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

  /** Passes successful answers straight through; keeps an error answer's body to be made plain. */
  private static final class ErrorCapturingResponse extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = SC_OK;
    /** A body was already on its way to the client before an error status was set: it is left as it is. */
    private boolean bodyPassedThrough;
    private ServletOutputStream stream;
    private PrintWriter writer;

    ErrorCapturingResponse(HttpServletResponse response) {
      super(response);
    }

    void flushBody() {
      if (writer != null) {
        writer.flush();
      }
    }

    boolean isError() {
      return status >= 400;
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
      super.setStatus(sc);
    }

    @Override
    public void sendError(int sc) {
      status = sc;
      super.setStatus(sc);
    }

    @Override
    public void sendError(int sc, String msg) {
      sendError(sc);
    }

    @Override
    public void setContentLength(int len) {
      if (!isError()) {
        super.setContentLength(len);
      }
    }

    @Override
    public void setContentLengthLong(long len) {
      if (!isError()) {
        super.setContentLengthLong(len);
      }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (!isError()) {
        bodyPassedThrough = true;
        return super.getOutputStream();
      }
      if (stream == null) {
        stream = new ServletOutputStream() {
          @Override public boolean isReady() { return true; }
          @Override public void setWriteListener(WriteListener listener) { throw new UnsupportedOperationException(); }
          @Override public void write(int b) { body.write(b); }
          @Override public void write(byte[] b, int off, int len) { body.write(b, off, len); }
        };
      }
      return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (!isError()) {
        bodyPassedThrough = true;
        return super.getWriter();
      }
      if (writer == null) {
        writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8), true);
      }
      return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
      if (writer != null) {
        writer.flush();
      }
      if (!isError()) {
        super.flushBuffer();
      }
    }
  }
}
