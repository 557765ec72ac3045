package io.greenlight.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error answer of the REST API: a code for scripts, a sentence for people, the field at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {}
