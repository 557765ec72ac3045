package io.greenlight.audit;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A period export as CSV (RFC 4180: lines end in CRLF, a cell is quoted only when it holds a comma, a quote or a line
 * break, a quote doubled). The header comes first even when no request matches. Every text cell that would start a
 * formula in a spreadsheet is kept as text with a leading apostrophe ({@link AuditController#cell}).
 */
final class PeriodCsv implements PeriodExport.Format {

  private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
  private static final CsvSchema SCHEMA = MAPPER.schemaFor(PeriodRow.class).withoutHeader().withLineSeparator("\r\n");
  static final String HEADER = String.join(",", SCHEMA.getColumnNames());

  private final OutputStream out;
  private final SequenceWriter rows;

  PeriodCsv(OutputStream out) throws IOException {
    this.out = out;
    // Written by hand: Jackson writes a header with the first row, and so none at all for an empty period.
    out.write((HEADER + "\r\n").getBytes(StandardCharsets.UTF_8));
    this.rows = MAPPER.writer(SCHEMA).writeValues(out);
  }

  @Override
  public void write(List<PeriodRow> page) throws IOException {
    for (PeriodRow row : page) {
      rows.write(row.forSpreadsheet());
    }
    rows.flush();
  }

  @Override
  public void close() throws IOException {
    rows.close();
    out.flush();
  }
}
