package org.ticketledger.example.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.ticketing.reconcile.ReferenceLine;
import org.ticketledger.ticketing.reconcile.ReferenceReport;

/** The JSON shape of the reference check, in the conventions of {@link Views}. Thread-safe (stateless). */
public final class IntegrityViews {

    /** The OpenAPI schema of {@link #references}. */
    public static final ObjectNode REFERENCES_SCHEMA = Schemas.object()
            .prop("at", Schemas.string("When the check ran (ISO-8601)"), true)
            .prop("intact", Schemas.bool("Whether no row points at a missing parent"), true)
            .prop("references", Schemas.array(Schemas.object()
                    .prop("table", Schemas.string("The table holding the reference"), true)
                    .prop("columns", Schemas.string("Its column(s), comma-separated"), true)
                    .prop("parent", Schemas.string("The table and key it must match"), true)
                    .prop("scope", Schemas.string("Which rows carry it: all, or a condition on the row"), true)
                    .prop("enforced", Schemas.string("The migration that dropped its foreign key, or that it never had one"), true)
                    .prop("missing", Schemas.integer("Rows that point at no parent row"), true)
                    .prop("examples", Schemas.array(Schemas.string("An offending row's id")), true).build()), true)
            .build();

    private IntegrityViews() {
    }

    /** Every reference checked, intact ones included, with the first offending ids of each broken one. */
    public static ObjectNode references(ReferenceReport r) {
        ObjectNode n = Json.object().put("at", r.at().toString()).put("intact", r.intact());
        ArrayNode lines = n.putArray("references");
        for (ReferenceLine l : r.lines()) {
            ObjectNode x = lines.addObject().put("table", l.table()).put("columns", l.columns()).put("parent", l.parent())
                    .put("scope", l.scope()).put("enforced", l.enforced()).put("missing", l.missing());
            ArrayNode examples = x.putArray("examples");
            l.examples().forEach(examples::add);
        }
        return n;
    }
}
