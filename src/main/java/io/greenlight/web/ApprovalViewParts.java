package io.greenlight.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * A gate kind's part of the request view ({@code "circleci": {…}}) in the API's description: the view carries it as
 * a part named by the kind's id, which the generated description cannot see, so each kind adds its own from its
 * package with this.
 */
public final class ApprovalViewParts {

  private static final String VIEW = "ApprovalView";

  private ApprovalViewParts() {}

  /** Adds {@code property} of {@code type} to the request view's schema, and {@code type}'s schemas to the components. */
  public static OpenApiCustomizer documented(String property, Class<?> type) {
    return openApi -> {
      var schemas = openApi.getComponents().getSchemas();
      if (schemas == null || !schemas.containsKey(VIEW)) {
        return;
      }
      // As ApiDocumentation reads ApiError: ModelConverters' read describes records as springdoc does.
      ModelConverters.getInstance().readAll(type).forEach(schemas::putIfAbsent);
      String name = ModelConverters.getInstance().read(type).keySet().iterator().next();
      schemas.get(VIEW).addProperty(property, new Schema<>().$ref("#/components/schemas/" + name));
    };
  }
}
