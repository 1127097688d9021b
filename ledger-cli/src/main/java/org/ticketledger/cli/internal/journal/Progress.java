package org.ticketledger.cli.internal.journal;

/**
 * Reports how far a long run has come. Sources call {@link #advance} from their reading thread;
 * implementations must be cheap, as it may be called for every entry.
 */
public interface Progress extends AutoCloseable {

    /** A progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(long done) {
        }

        @Override
        public void close() {
        }
    };

    /** A task begins; {@code total} entries are expected (0 when unknown). */
    void start(String task, long total);

    /** {@code done} more entries were handled. */
    void advance(long done);

    /** The run ended; clears or completes the display. */
    @Override
    void close();
}
