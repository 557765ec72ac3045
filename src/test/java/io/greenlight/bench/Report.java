package io.greenlight.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/** The benchmark's figures: printed as they come, then a Markdown table and a chart in {@code target/bench/}. */
final class Report {

  private final List<String> notes = new ArrayList<>();
  /** workload → run → load figures, at CLIENTS clients. */
  private final Map<String, List<Benchmark.Load>> intake = new LinkedHashMap<>();
  /** workload → clients → load figures. */
  private final Map<String, Map<Integer, Benchmark.Load>> overLoad = new LinkedHashMap<>();
  /** path (sms, api) → runs' latencies (ns). */
  private final Map<String, List<List<Long>>> decisions = new LinkedHashMap<>();
  private final Map<String, Benchmark.Load> intakeAtScale = new LinkedHashMap<>();
  private long pendingAtScale;
  private List<Long> lookups = List.of();
  private List<Long> smsLookups = List.of();
  private long heapAfterGc;
  private final List<Duration> startUps = new ArrayList<>();
  private final List<Double> startUpsFromLog = new ArrayList<>();
  /** The same restarts from the extracted jar with its class-data-sharing archive (docs/deployment.md). */
  private final List<Duration> sharedClassesStartUps = new ArrayList<>();
  private final List<Double> sharedClassesStartUpsFromLog = new ArrayList<>();
  private String machine;
  private final List<SoakPoint> soakPoints = new ArrayList<>();
  private Duration soakTook;
  private long soakBytesBefore;

  /**
   * Where the soak stood after {@code served} answered requests: the file, its live data, the live data as the running
   * node estimates it (its metric, which its housekeeping acts on), that stretch's latencies (ns).
   */
  record SoakPoint(int served, long fileBytes, long liveBytes, long estimatedLiveBytes, List<Long> latencies) {}

  void machine() {
    machine = Runtime.getRuntime().availableProcessors() + " cores, " + (totalMemoryBytes() >> 30) + " GiB, "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    note("Machine: " + machine);
  }

  void note(String text) {
    notes.add(text);
    System.out.println(text);
  }

  void intake(int run, String workload, int clients, Benchmark.Load load) {
    intake.computeIfAbsent(workload, w -> new ArrayList<>()).add(load);
  }

  void latencyOverLoad(String workload, int clients, Benchmark.Load load) {
    overLoad.computeIfAbsent(workload, w -> new TreeMap<>()).put(clients, load);
  }

  void decision(int run, String path, List<Long> latencies) {
    decisions.computeIfAbsent(path, p -> new ArrayList<>()).add(latencies);
    System.out.printf("decision by %s, run %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", path, run,
        percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, percentile(latencies, 100) / 1e6);
  }

  /** path → time from sending the answer to its HTTP answer (committed by then), all runs. */
  private final Map<String, List<Long>> answered = new LinkedHashMap<>();
  private List<Long> background = List.of();

  void answered(String path, List<Long> latencies) {
    answered.computeIfAbsent(path, p -> new ArrayList<>()).addAll(latencies);
  }

  void background(List<Long> latencies) {
    background = latencies;
  }

  /** The targets (docs/benchmarks.md), by the start of a figure's name; "–" where there is none. */
  static String targetOf(String figure) {
    if (figure.startsWith("intake ÷ engine REST start (median")) {
      return "≥ 1.0";
    } else if (figure.startsWith("decision → approve call")) {
      return "p50 ≤ 30 / p99 ≤ 100 ms";
    } else if (figure.startsWith("GET /api/approvals/{id}")) {
      return "p99 ≤ 20 ms";
    } else if (figure.startsWith("start-up to healthy")) {
      return "≤ 10 s";
    } else if (figure.startsWith("soak: database ÷ live data at the end")) {
      return "≤ 3 (at 10,000)";
    }
    return "–";
  }

  void intakeAtScale(String workload, Benchmark.Load load) {
    intakeAtScale.put(workload, load);
  }

  void lookups(long pending, List<Long> requestLookups, List<Long> smsCodeLookups) {
    pendingAtScale = pending;
    lookups = requestLookups;
    smsLookups = smsCodeLookups;
    System.out.printf("at %d pending: GET /api/approvals/{id} p50 %.1f ms p99 %.1f ms; SMS reply p50 %.1f ms p99 %.1f ms%n",
        pending, percentile(lookups, 50) / 1e6, percentile(lookups, 99) / 1e6, percentile(smsLookups, 50) / 1e6,
        percentile(smsLookups, 99) / 1e6);
  }

  void heapAfterGc(long pending, long bytes) {
    heapAfterGc = bytes;
    System.out.printf("at %d pending: heap after GC %.1f MiB%n", pending, bytes / 1048576.0);
  }

  void startUp(int restart, long pending, Duration untilHealthy, Double fromLog, boolean sharedClasses) {
    (sharedClasses ? sharedClassesStartUps : startUps).add(untilHealthy);
    if (fromLog != null) {
      (sharedClasses ? sharedClassesStartUpsFromLog : startUpsFromLog).add(fromLog);
    }
    System.out.printf("restart %d at %d pending%s: healthy after %d ms (Spring: %s s)%n", restart, pending,
        sharedClasses ? ", class-data sharing" : "", untilHealthy.toMillis(), fromLog);
  }

  void soakPoint(SoakPoint point) {
    System.out.printf("soak: %d answered, file %.1f MiB, live %.1f MiB (x%.2f; own estimate %.1f MiB), decision p50 %.1f ms p99 %.1f ms%n",
        point.served(), point.fileBytes() / 1048576.0, point.liveBytes() / 1048576.0,
        point.fileBytes() / (double) Math.max(1, point.liveBytes()), point.estimatedLiveBytes() / 1048576.0,
        percentile(point.latencies(), 50) / 1e6,
        percentile(point.latencies(), 99) / 1e6);
  }

  void soak(List<SoakPoint> points, Duration took, long bytesBefore) {
    soakPoints.clear();
    soakPoints.addAll(points);
    soakTook = took;
    soakBytesBefore = bytesBefore;
  }

  /** The headline figures, for the table that puts the databases side by side. */
  Map<String, String> summary() {
    Map<String, String> figures = new LinkedHashMap<>();
    List<Benchmark.Load> ours = intake.getOrDefault("greenlight", List.of());
    List<Benchmark.Load> engine = intake.getOrDefault("engine-rest", List.of());
    List<Double> ratios = new ArrayList<>();
    for (int run = 0; run < Math.min(ours.size(), engine.size()); run++) {
      ratios.add(ours.get(run).perSecond() / engine.get(run).perSecond());
    }
    if (!ratios.isEmpty()) {
      figures.put("intake ÷ engine REST start (median of runs)", String.format(Locale.ROOT, "%.2f %s", median(ratios),
          ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
    }
    decisions.forEach((path, runs) -> figures.put("decision → approve call, " + path + " (p50 / p99, median of runs)",
        String.format(Locale.ROOT, "%.1f / %.1f ms", median(runs.stream().map(l -> percentile(l, 50) / 1e6).toList()),
            median(runs.stream().map(l -> percentile(l, 99) / 1e6).toList()))));
    answered.forEach((path, latencies) -> figures.put("… of which the answer's own HTTP round trip, " + path + " (p50 / p99)",
        String.format(Locale.ROOT, "%.1f / %.1f ms", percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6)));
    if (!background.isEmpty()) {
      figures.put("background requests: decision → approve call (p50 / p99)", String.format(Locale.ROOT, "%.1f / %.1f ms (%d answers)",
          percentile(background, 50) / 1e6, percentile(background, 99) / 1e6, background.size()));
    }
    if (!lookups.isEmpty()) {
      figures.put("GET /api/approvals/{id} at scale (p50 / p99)", String.format(Locale.ROOT, "%.1f / %.1f ms (%d pending)",
          percentile(lookups, 50) / 1e6, percentile(lookups, 99) / 1e6, pendingAtScale));
      figures.put("SMS reply by code at scale (p50 / p99)", String.format(Locale.ROOT, "%.1f / %.1f ms (%d pending)",
          percentile(smsLookups, 50) / 1e6, percentile(smsLookups, 99) / 1e6, pendingAtScale));
      figures.put("heap after GC", String.format(Locale.ROOT, "%.0f MiB", heapAfterGc / 1048576.0));
    }
    Benchmark.Load g = intakeAtScale.get("greenlight");
    Benchmark.Load e = intakeAtScale.get("engine-rest");
    if (g != null && e != null) {
      figures.put("intake ÷ engine REST start at scale", String.format(Locale.ROOT, "%.2f (%d pending)", g.perSecond() / e.perSecond(),
          pendingAtScale));
    }
    if (!startUps.isEmpty()) {
      figures.put("start-up to healthy at scale (median)", String.format(Locale.ROOT, "%.1f s (%d pending; Spring's own %s s)",
          median(startUps.stream().map(d -> d.toMillis() / 1000.0).toList()), pendingAtScale,
          startUpsFromLog.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f", median(startUpsFromLog))));
    }
    if (!sharedClassesStartUps.isEmpty()) {
      figures.put("start-up to healthy at scale, class-data sharing (median)", String.format(Locale.ROOT,
          "%.1f s (%d pending; Spring's own %s s)",
          median(sharedClassesStartUps.stream().map(d -> d.toMillis() / 1000.0).toList()), pendingAtScale,
          sharedClassesStartUpsFromLog.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f", median(sharedClassesStartUpsFromLog))));
    }
    if (!soakPoints.isEmpty()) {
      SoakPoint last = soakPoints.get(soakPoints.size() - 1);
      List<Long> all = new ArrayList<>();
      soakPoints.forEach(point -> all.addAll(point.latencies()));
      figures.put("soak: requests answered", Integer.toString(last.served()));
      figures.put("soak: database growth per request", String.format(Locale.ROOT, "%.1f KiB",
          (last.fileBytes() - soakBytesBefore) / 1024.0 / Math.max(1, last.served())));
      figures.put("soak: largest database ÷ live data", String.format(Locale.ROOT, "%.2f", soakPoints.stream().skip(1)
          .mapToDouble(point -> point.fileBytes() / (double) Math.max(1, point.liveBytes())).max().orElse(0)));
      figures.put("soak: database ÷ live data at the end", String.format(Locale.ROOT, "%.2f (%d answered)",
          last.fileBytes() / (double) Math.max(1, last.liveBytes()), last.served()));
      figures.put("soak: decision → approve call under load (p50 / p99)", String.format(Locale.ROOT, "%.1f / %.1f ms",
          percentile(all, 50) / 1e6, percentile(all, 99) / 1e6));
    }
    return figures;
  }

  void write(Path out) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    notes.forEach(note -> md.append("- ").append(note).append('\n'));
    md.append("\n## Intake, ").append(Benchmark.CLIENTS).append(" clients, ").append(Benchmark.RUNS).append(" runs of ")
        .append(Benchmark.SECONDS).append(" s\n\n| run | Greenlight /s | engine REST /s | ratio | Greenlight p50 / p99 ms | engine p50 / p99 ms |\n|---|---|---|---|---|---|\n");
    List<Double> ratios = new ArrayList<>();
    List<Benchmark.Load> ours = intake.getOrDefault("greenlight", List.of());
    List<Benchmark.Load> engine = intake.getOrDefault("engine-rest", List.of());
    for (int run = 0; run < Math.min(ours.size(), engine.size()); run++) {
      double ratio = ours.get(run).perSecond() / engine.get(run).perSecond();
      ratios.add(ratio);
      md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %s | %s |%n", run + 1, ours.get(run).perSecond(),
          engine.get(run).perSecond(), ratio, ms(ours.get(run).latencies()), ms(engine.get(run).latencies())));
    }
    md.append(String.format(Locale.ROOT, "%nRatio (Greenlight ÷ engine): median %.2f, lowest %.2f.%n", median(ratios),
        ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));

    md.append("\n## Latency over load\n\n| clients | Greenlight /s | p50 / p99 ms | engine REST /s | p50 / p99 ms |\n|---|---|---|---|---|\n");
    for (int clients : overLoad.getOrDefault("greenlight", Map.of()).keySet()) {
      Benchmark.Load g = overLoad.get("greenlight").get(clients);
      Benchmark.Load e = overLoad.getOrDefault("engine-rest", Map.of()).get(clients);
      md.append(String.format(Locale.ROOT, "| %d | %.1f | %s | %s | %s |%n", clients, g.perSecond(), ms(g.latencies()),
          e == null ? "" : String.format(Locale.ROOT, "%.1f", e.perSecond()), e == null ? "" : ms(e.latencies())));
    }

    md.append("\n## Decision to approve call, ").append(Benchmark.SAMPLES).append(" answers a run\n\n")
        .append("| path | run | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
    decisions.forEach((path, runs) -> {
      for (int run = 0; run < runs.size(); run++) {
        List<Long> latencies = runs.get(run);
        md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", path, run + 1, percentile(latencies, 50) / 1e6,
            percentile(latencies, 99) / 1e6, percentile(latencies, 100) / 1e6));
      }
      List<Double> p50s = runs.stream().map(l -> percentile(l, 50) / 1e6).toList();
      List<Double> p99s = runs.stream().map(l -> percentile(l, 99) / 1e6).toList();
      md.append(String.format(Locale.ROOT, "| %s | median of runs | %.1f | %.1f | |%n", path, median(p50s), median(p99s)));
    });

    md.append("\n## With ").append(pendingAtScale).append(" pending requests\n\n| figure | value |\n|---|---|\n");
    Benchmark.Load g = intakeAtScale.get("greenlight");
    Benchmark.Load e = intakeAtScale.get("engine-rest");
    if (g != null && e != null) {
      md.append(String.format(Locale.ROOT, "| intake, Greenlight | %.1f/s (p50 / p99 %s ms) |%n", g.perSecond(), ms(g.latencies())));
      md.append(String.format(Locale.ROOT, "| intake, engine REST | %.1f/s (p50 / p99 %s ms) |%n", e.perSecond(), ms(e.latencies())));
      md.append(String.format(Locale.ROOT, "| intake ratio | %.2f |%n", g.perSecond() / e.perSecond()));
    }
    md.append(String.format(Locale.ROOT, "| GET /api/approvals/{id}, %d lookups | p50 %.1f ms, p99 %.1f ms |%n", lookups.size(),
        percentile(lookups, 50) / 1e6, percentile(lookups, 99) / 1e6));
    md.append(String.format(Locale.ROOT, "| SMS reply by code (refused: the requester), %d replies | p50 %.1f ms, p99 %.1f ms |%n",
        smsLookups.size(), percentile(smsLookups, 50) / 1e6, percentile(smsLookups, 99) / 1e6));
    md.append(String.format(Locale.ROOT, "| heap after GC | %.1f MiB |%n", heapAfterGc / 1048576.0));
    List<Double> startSeconds = startUps.stream().map(d -> d.toMillis() / 1000.0).toList();
    md.append(String.format(Locale.ROOT, "| start-up to healthy, %d restarts | median %.1f s, slowest %.1f s (Spring's own: %s s) |%n",
        startUps.size(), median(startSeconds), startSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
        startUpsFromLog));
    if (!sharedClassesStartUps.isEmpty()) {
      List<Double> sharedSeconds = sharedClassesStartUps.stream().map(d -> d.toMillis() / 1000.0).toList();
      md.append(String.format(Locale.ROOT, "| start-up to healthy with class-data sharing, %d restarts | median %.1f s, "
              + "slowest %.1f s (Spring's own: %s s) |%n", sharedClassesStartUps.size(), median(sharedSeconds),
          sharedSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), sharedClassesStartUpsFromLog));
    }
    if (!soakPoints.isEmpty()) {
      SoakPoint last = soakPoints.get(soakPoints.size() - 1);
      List<Long> all = new ArrayList<>();
      soakPoints.forEach(point -> all.addAll(point.latencies()));
      double largestRatio = soakPoints.stream().skip(1)
          .mapToDouble(point -> point.fileBytes() / (double) Math.max(1, point.liveBytes())).max().orElse(0);
      md.append("\n## Soak: ").append(last.served()).append(" requests, each answered, ").append(Benchmark.SOAK_CLIENTS)
          .append(" clients, ").append(soakTook.toSeconds()).append(" s\n\n")
          .append(String.format(Locale.ROOT, "File %.1f MiB → %.1f MiB (%.1f KiB per request); live data at the end %.1f MiB; "
                  + "largest file ÷ live %.2f; decision → approve call over the whole soak p50 %.1f ms, p99 %.1f ms (%d answers).%n%n",
              soakBytesBefore / 1048576.0, last.fileBytes() / 1048576.0,
              (last.fileBytes() - soakBytesBefore) / 1024.0 / Math.max(1, last.served()), last.liveBytes() / 1048576.0,
              largestRatio, percentile(all, 50) / 1e6, percentile(all, 99) / 1e6, all.size()))
          .append("| answered | file MiB | live MiB | file ÷ live | node's own live estimate MiB | decision p50 ms | p99 ms |\n"
              + "|---|---|---|---|---|---|---|\n");
      for (SoakPoint point : soakPoints) {
        md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %s | %s | %s |%n", point.served(), point.fileBytes() / 1048576.0,
            point.liveBytes() / 1048576.0, point.fileBytes() / (double) Math.max(1, point.liveBytes()),
            point.estimatedLiveBytes() < 0 ? "–" : String.format(Locale.ROOT, "%.1f", point.estimatedLiveBytes() / 1048576.0),
            point.latencies().isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f", percentile(point.latencies(), 50) / 1e6),
            point.latencies().isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f", percentile(point.latencies(), 99) / 1e6)));
      }
      soakChart(out.resolve("soak.png"));
    }
    Files.writeString(out.resolve("results.md"), md.toString());
    chart(out.resolve("latency-over-load.png"));
    System.out.println(md);
  }

  /** Intake latency (p50 and p99) and rate over the number of concurrent clients, Greenlight beside the engine. */
  private void chart(Path file) throws IOException {
    int width = 900;
    int height = 480;
    int left = 70;
    int right = 30;
    int top = 50;
    int bottom = 60;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    List<Integer> loads = new ArrayList<>(overLoad.getOrDefault("greenlight", Map.of()).keySet());
    if (loads.isEmpty()) {
      g.dispose();
      return;
    }
    double maxMs = 1;
    for (Map<Integer, Benchmark.Load> byLoad : overLoad.values()) {
      for (Benchmark.Load load : byLoad.values()) {
        maxMs = Math.max(maxMs, percentile(load.latencies(), 99) / 1e6);
      }
    }
    maxMs = niceCeiling(maxMs);
    int plotWidth = width - left - right;
    int plotHeight = height - top - bottom;
    g.setColor(new Color(0xD1D9E0));
    for (int i = 0; i <= 5; i++) {
      int y = top + plotHeight - i * plotHeight / 5;
      g.drawLine(left, y, left + plotWidth, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxMs * i / 5), 20, y + 4);
      g.setColor(new Color(0xD1D9E0));
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString("ms", 20, top - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("Intake latency over load (concurrent clients), Greenlight vs. Camunda's engine REST start", left, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i < loads.size(); i++) {
      int x = left + (loads.size() == 1 ? plotWidth / 2 : i * plotWidth / (loads.size() - 1));
      Benchmark.Load ours = overLoad.get("greenlight").get(loads.get(i));
      g.drawString(loads.get(i) + " (" + Math.round(ours.perSecond()) + "/s)", x - 20, top + plotHeight + 20);
    }
    g.drawString("clients (Greenlight's requests per second)", left + plotWidth / 2 - 120, top + plotHeight + 44);
    Object[][] series = {
        {"greenlight", 99, new Color(0x1A7F37), "Greenlight p99"}, {"greenlight", 50, new Color(0x6FCF97), "Greenlight p50"},
        {"engine-rest", 99, new Color(0x0550AE), "engine REST p99"}, {"engine-rest", 50, new Color(0x79B8FF), "engine REST p50"}};
    int legendY = top + 8;
    for (Object[] line : series) {
      Map<Integer, Benchmark.Load> byLoad = overLoad.getOrDefault((String) line[0], Map.of());
      g.setColor((Color) line[2]);
      g.setStroke(new BasicStroke((Integer) line[1] == 99 ? 3f : 2f));
      int previousX = -1;
      int previousY = -1;
      for (int i = 0; i < loads.size(); i++) {
        Benchmark.Load load = byLoad.get(loads.get(i));
        if (load == null) {
          continue;
        }
        int x = left + (loads.size() == 1 ? plotWidth / 2 : i * plotWidth / (loads.size() - 1));
        int y = top + plotHeight - (int) Math.round(percentile(load.latencies(), (Integer) line[1]) / 1e6 / maxMs * plotHeight);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, x, y);
        }
        previousX = x;
        previousY = y;
      }
      g.fillRect(left + 12, legendY - 9, 18, 4);
      g.drawString((String) line[3], left + 36, legendY - 3);
      legendY += 18;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /** The database file and its live data (MiB, left) and the decision latency (ms, right) over the requests answered. */
  private void soakChart(Path file) throws IOException {
    int width = 900;
    int height = 480;
    int left = 70;
    int right = 70;
    int top = 50;
    int bottom = 60;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    double maxServed = Math.max(1, soakPoints.get(soakPoints.size() - 1).served());
    double maxMib = niceCeiling(Math.max(1, soakPoints.stream().mapToLong(SoakPoint::fileBytes).max().orElse(1) / 1048576.0));
    double maxMs = niceCeiling(Math.max(1, soakPoints.stream().filter(p -> !p.latencies().isEmpty())
        .mapToDouble(p -> percentile(p.latencies(), 99) / 1e6).max().orElse(1)));
    int plotWidth = width - left - right;
    int plotHeight = height - top - bottom;
    for (int i = 0; i <= 5; i++) {
      int y = top + plotHeight - i * plotHeight / 5;
      g.setColor(new Color(0xD1D9E0));
      g.drawLine(left, y, left + plotWidth, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxMib * i / 5), 20, y + 4);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxMs * i / 5), left + plotWidth + 10, y + 4);
      int x = left + i * plotWidth / 5;
      g.drawString(String.format(Locale.ROOT, "%.0f", maxServed * i / 5), x - 12, top + plotHeight + 20);
    }
    g.drawString("MiB", 20, top - 12);
    g.drawString("ms", left + plotWidth + 10, top - 12);
    g.drawString("requests answered", left + plotWidth / 2 - 60, top + plotHeight + 44);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("Soak: database file and live data (MiB), decision → approve call (ms)", left, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    Object[][] series = {
        {"file", new Color(0x1A7F37), "file (MiB)"}, {"live", new Color(0x6FCF97), "live data (MiB)"},
        {"p99", new Color(0x0550AE), "decision p99 (ms)"}, {"p50", new Color(0x79B8FF), "decision p50 (ms)"}};
    int legendY = top + 8;
    for (Object[] line : series) {
      g.setColor((Color) line[1]);
      g.setStroke(new BasicStroke(2.5f));
      int previousX = -1;
      int previousY = -1;
      for (SoakPoint point : soakPoints) {
        double value = switch ((String) line[0]) {
          case "file" -> point.fileBytes() / 1048576.0 / maxMib;
          case "live" -> point.liveBytes() / 1048576.0 / maxMib;
          case "p99" -> point.latencies().isEmpty() ? -1 : percentile(point.latencies(), 99) / 1e6 / maxMs;
          default -> point.latencies().isEmpty() ? -1 : percentile(point.latencies(), 50) / 1e6 / maxMs;
        };
        if (value < 0) {
          continue;
        }
        int x = left + (int) Math.round(point.served() / maxServed * plotWidth);
        int y = top + plotHeight - (int) Math.round(value * plotHeight);
        g.fillOval(x - 3, y - 3, 6, 6);
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, x, y);
        }
        previousX = x;
        previousY = y;
      }
      g.fillRect(left + 12, legendY - 9, 18, 4);
      g.drawString((String) line[2], left + 36, legendY - 3);
      legendY += 18;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String ms(List<Long> latencies) {
    return String.format(Locale.ROOT, "%.1f / %.1f", percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6);
  }

  /** Nearest-rank percentile of {@code values} (0 when empty); 100 is the largest. */
  static double percentile(List<Long> values, double percent) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.min(Math.max(rank, 1), sorted.size()) - 1);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static long totalMemoryBytes() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
  }
}
