package io.greenlight.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A period export as JSON: one array of objects with the CSV's columns as fields, {@code break_glass} a boolean and
 * {@code ended_at} null while a request runs. Cells are not escaped as the CSV's are: JSON is read by programs, and
 * the values are exactly the history's.
 */
final class PeriodJson implements PeriodExport.Format {

  /** Every field, also a null one: the shape of a row does not depend on the request. */
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final JsonGenerator json;

  PeriodJson(OutputStream out) throws IOException {
    this.json = MAPPER.createGenerator(out);
    json.writeStartArray();
  }

  @Override
  public void write(List<PeriodRow> page) throws IOException {
    for (PeriodRow row : page) {
      json.writeObject(row);
    }
    json.flush();
  }

  @Override
  public void close() throws IOException {
    json.writeEndArray();
    json.close();
  }
}
