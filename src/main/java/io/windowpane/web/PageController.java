package io.windowpane.web;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.RowFormat;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.ToJsonLines;
import io.windowpane.sink.PageFeed;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pane diagram over HTTP (SPEC section 12): the page at {@code /}, its data at {@code /api/diagram}, the rows
 * fired so far at {@code /api/panes}, and the feed the pipeline reports to. Rows are written by the pipeline's own
 * {@link RowFormat}, so they look exactly as in the results output.
 */
@RestController
class PageController {

  /** At most this many rows from {@code /api/panes}: the newest. */
  static final int MAX_ROWS = 1_000;

  private final DiagramPage page;
  private final PaneJournal journal;
  private final PageFeed feed;
  private final RowFormat rows;

  PageController(DiagramPage page, PaneJournal journal, PageFeed feed, EventMapping mapping) {
    this.rows = new RowFormat(mapping);
    this.page = page;
    this.journal = journal;
    this.feed = feed;
  }

  @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
  String page() {
    return page.html();
  }

  @GetMapping(path = "/api/diagram", produces = MediaType.APPLICATION_JSON_VALUE)
  String diagram() {
    return ToJsonLines.toJson(page.view());
  }

  /** The rows fired so far, oldest first, at most {@link #MAX_ROWS} (the newest). */
  @GetMapping(path = "/api/panes", produces = MediaType.APPLICATION_JSON_VALUE)
  String panes() {
    List<PaneJournal.Pane> panes = journal.snapshot().panes();
    List<ResultRow> rows = panes.subList(Math.max(0, panes.size() - MAX_ROWS), panes.size()).stream()
        .map(PaneJournal.Pane::row).toList();
    return this.rows.toJsonArray(rows);
  }

  @PostMapping(path = PageFeed.PATH + "{token}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> feed(@PathVariable String token, @RequestBody String records) {
    if (!feed.accepts(token)) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
    }
    try {
      journal.accept(records);
    } catch (RuntimeException e) { // not JSON, an unknown kind, a field that does not parse
      return ResponseEntity.badRequest().build();
    }
    return ResponseEntity.noContent().build();
  }
}
