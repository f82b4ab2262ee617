package org.labmeter.metering.http;

/**
 * An error answer: a stable machine-readable code, a message a person can act on, and the request
 * field at fault (or null).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError badRequest(String field, String message) {
    return new ApiError(400, "invalid_parameter", message, field);
  }

  public static ApiError notFound(String field, String message) {
    return new ApiError(404, "not_found", message, field);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
