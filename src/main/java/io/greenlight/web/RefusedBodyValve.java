package io.greenlight.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * A body {@link RequestBodyGuard} refused is not read on. Without this, Tomcat reads on after the answer to keep the
 * connection usable: with {@code max-swallow-size: 0} it still waits for one more byte of the body (up to
 * {@code server.tomcat.connection-timeout}) before it sends the answer and closes, so a client that sends headers and
 * nothing more would hold a server thread for 5 s with every refused request. Disabling the swallow marks the connection
 * to be closed cleanly: the answer goes out at once, then the connection closes. A servlet filter cannot reach this
 * switch; a valve of the context can.
 */
final class RefusedBodyValve extends ValveBase {

  /** Set by {@link RequestBodyGuard} on a request whose body it refused. */
  static final String REFUSED = RefusedBodyValve.class.getName() + ".refused";

  RefusedBodyValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    getNext().invoke(request, response);
    if (request.getAttribute(REFUSED) != null) {
      request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
      // That marks the exchange as failed; the refusal already is its answer, so no error page is rendered after it.
      response.setErrorReported();
    }
  }
}
