package io.podvm.engine.measure;

import java.util.List;
import java.util.Map;

/**
 * Explains why a predicted PCR differs from what a TPM holds: the predicted events and the event log's
 * events for that PCR side by side, the first differing pair marked. (systemd-pcrphase's events are not in
 * the firmware's log: they are listed as predicted only.)
 */
public final class PcrMismatch {
    private PcrMismatch() {
    }

    /** {@code predicted}: the "events" list of one PCR from {@link MeasureResult#events()}. */
    public static String describe(int pcr, List<Map<String, String>> predicted, EventLog log) {
        List<EventLog.Event> logged = log.events(pcr);
        StringBuilder out = new StringBuilder("PCR " + pcr + ": predicted events | event log entries\n");
        int rows = Math.max(predicted.size(), logged.size());
        boolean marked = false;
        for (int i = 0; i < rows; i++) {
            String want = i < predicted.size() ? predicted.get(i).get("sha256") + " " + predicted.get(i).get("event")
                    : "-";
            String got = i < logged.size() ? logged.get(i).describe() : "-";
            boolean differs = i >= predicted.size() || i >= logged.size()
                    || !predicted.get(i).get("sha256").equals(logged.get(i).sha256());
            String mark = differs && !marked ? ">> " : "   ";
            marked |= differs;
            out.append(mark).append(i).append(": ").append(want).append("\n").append("      log: ").append(got)
                    .append("\n");
        }
        return out.toString();
    }
}
