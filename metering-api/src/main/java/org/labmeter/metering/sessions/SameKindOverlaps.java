package org.labmeter.metering.sessions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.attribution.SessionKind;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.sessions.SessionImporter.NewSession;

/**
 * Finds imported sessions that overlap another session of the same kind on the instrument, in the
 * same file or stored before. Per kind, sessions are swept in start order keeping the one that
 * reaches furthest; a session starting before that one ends overlaps it. This is the rule the
 * attribution engine uses for its {@code OVERLAPS_SAME_KIND} issue, so an import warns about what
 * attribution will report. Overlaps between two stored sessions were reported when they came in.
 */
final class SameKindOverlaps {
  private SameKindOverlaps() {}

  private record Item(UsageSession session, int row) {
    boolean isNew() {
      return row > 0;
    }

    String describe() {
      UsageSession s = session;
      return s.kind()
          + " "
          + s.id()
          + (isNew() ? " (row " + row + ")" : " (stored)")
          + " "
          + Instant.ofEpochMilli(s.startMillis())
          + " .. "
          + Instant.ofEpochMilli(s.endMillis());
    }
  }

  static List<ImportWarning> find(List<NewSession> imported, List<StoredSession> stored) {
    Map<SessionKind, List<Item>> byKind = new EnumMap<>(SessionKind.class);
    for (NewSession n : imported) {
      byKind.computeIfAbsent(n.session().kind(), k -> new ArrayList<>()).add(item(n));
    }
    for (StoredSession s : stored) {
      List<Item> items = byKind.get(s.session().kind());
      if (items != null) {
        items.add(new Item(s.session(), 0));
      }
    }
    List<ImportWarning> out = new ArrayList<>();
    for (List<Item> items : byKind.values()) {
      items.sort(
          Comparator.comparingLong((Item i) -> i.session().startMillis())
              .thenComparingLong(i -> i.session().endMillis())
              .thenComparing(i -> i.session().id()));
      Item reach = null;
      for (Item i : items) {
        if (reach != null && i.session().startMillis() < reach.session().endMillis()) {
          if (i.isNew()) {
            out.add(warning(i, reach));
          } else if (reach.isNew()) {
            out.add(warning(reach, i));
          }
        }
        if (reach == null || i.session().endMillis() > reach.session().endMillis()) {
          reach = i;
        }
      }
    }
    out.sort(Comparator.comparingInt(ImportWarning::row));
    return out;
  }

  private static Item item(NewSession n) {
    return new Item(n.session(), n.row().row());
  }

  private static ImportWarning warning(Item mine, Item other) {
    return new ImportWarning(
        mine.row(),
        mine.session().id(),
        other.session().id(),
        mine.describe() + " overlaps " + other.describe() + "; both are kept");
  }
}
