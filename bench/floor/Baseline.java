// The floor of the batch work: what a single Java thread needs to read, total and write the events.
// Run: java bench/floor/Baseline.java EVENTS.jsonl OUT.jsonl [WINDOW_SECONDS]  (a copy of the floor program the project
// was given, kept here so that the repository stands alone; bench/common.sh compiles it for bench/run.sh)
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;

/** The floor of the work: one thread reads JSON Lines events, sums count and amount per (user, fixed window), writes JSON Lines rows.
 *  Usage: java Baseline.java EVENTS.jsonl OUT.jsonl [WINDOW_SECONDS] */
public class Baseline {
  static final class Acc { long count; double sum; }
  public static void main(String[] a) throws IOException {
    long win = a.length > 2 ? Long.parseLong(a[2]) : 60;
    Map<String, Acc> aggs = new HashMap<>(1 << 20);
    long read = 0;
    try (BufferedReader r = Files.newBufferedReader(Path.of(a[0]), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) continue;
        String user = str(line, "\"user_id\"");
        double amount = Double.parseDouble(num(line, "\"amount\""));
        long t = (long) Double.parseDouble(num(line, "\"event_time\""));
        long ws = Math.floorDiv(t, win) * win;
        Acc acc = aggs.computeIfAbsent(user + "|" + ws, k -> new Acc());
        acc.count++; acc.sum += amount; read++;
      }
    }
    try (Writer w = Files.newBufferedWriter(Path.of(a[1]), StandardCharsets.UTF_8)) {
      for (var e : aggs.entrySet()) {
        int bar = e.getKey().lastIndexOf('|');
        long ws = Long.parseLong(e.getKey().substring(bar + 1));
        w.write("{\"user_id\":\"" + e.getKey().substring(0, bar) + "\",\"count\":" + e.getValue().count + ",\"sum_amount\":" + e.getValue().sum
            + ",\"window_start\":\"" + Instant.ofEpochSecond(ws) + "\",\"window_end\":\"" + Instant.ofEpochSecond(ws + win) + "\",\"pane_timing\":\"ON_TIME\"}\n");
      }
    }
    System.err.println("read " + read + " events, wrote " + aggs.size() + " rows");
  }
  static String str(String l, String k) { int i = l.indexOf(':', l.indexOf(k)) + 1; int q = l.indexOf('"', i) + 1; return l.substring(q, l.indexOf('"', q)); }
  static String num(String l, String k) { int i = l.indexOf(':', l.indexOf(k)) + 1; int j = i;
    while (j < l.length() && ",}".indexOf(l.charAt(j)) < 0) j++; return l.substring(i, j).trim(); }
}
