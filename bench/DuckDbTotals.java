import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * What a user might pick instead of windowpane for a one-off batch: one DuckDB query, a GROUP BY over read_json,
 * writing the same totals per user and fixed window as JSON Lines. Usage: java DuckDbTotals EVENTS.jsonl OUT.jsonl
 * [WINDOW_SECONDS]. Numeric event_time (epoch seconds) only, as bench/GenerateEvents writes it.
 */
public final class DuckDbTotals {

  public static void main(String[] args) throws Exception {
    String in = Path.of(args[0]).toAbsolutePath().toString().replace("'", "''");
    String out = Path.of(args[1]).toAbsolutePath().toString().replace("'", "''");
    long window = args.length > 2 ? Long.parseLong(args[2]) : 60;
    String start = "to_timestamp(floor(event_time / " + window + ") * " + window + ")";
    String sql = "COPY (SELECT user_id, count(*) AS count, sum(amount) AS sum_amount,"
        + " strftime(" + start + ", '%Y-%m-%dT%H:%M:%SZ') AS window_start,"
        + " strftime(" + start + " + to_seconds(" + window + "), '%Y-%m-%dT%H:%M:%SZ') AS window_end,"
        + " 'ON_TIME' AS pane_timing"
        + " FROM read_json('" + in + "', format = 'newline_delimited',"
        + " columns = {user_id: 'VARCHAR', amount: 'DOUBLE', event_time: 'DOUBLE'})"
        + " GROUP BY ALL) TO '" + out + "' (FORMAT json)";
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
