package org.ticketledger.cli.internal.command;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ticketledger.cli.internal.journal.Progress;

/** A progress bar on stderr with entries/s and an ETA (me.tongfei:progressbar). */
final class ConsoleProgress implements Progress {

    private final PrintStream err;
    private final String task;
    private ProgressBar bar;

    ConsoleProgress(PrintStream err, String task) {
        this.err = err;
        this.task = task;
    }

    @Override
    public void start(String unit, long total) {
        if (bar != null) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(err, 100))
                .build();
    }

    @Override
    public void advance(long done) {
        if (bar != null && done > 0) {
            bar.stepBy(done);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
