package io.nostrex.app;

import io.nostrex.protocol.Filter;
import io.nostrex.store.EventExport;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** The export command's two sources, for the integration tests in another package. */
public final class ExportAccess {
    private ExportAccess() {}

    public static long export(EventExport export, List<Filter> filters, Writer out) throws IOException {
        return ExportCommand.export(export, filters, out, null);
    }

    public static long fromLog(Map<String, Object> kafka, List<Filter> filters, Writer out) throws IOException {
        return ExportCommand.fromLog(kafka, filters, out, null);
    }
}
