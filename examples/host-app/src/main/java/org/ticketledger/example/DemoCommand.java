package org.ticketledger.example;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./ticketledger demo}: the walk-through on a throw-away embedded database. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the walk-through on a fresh embedded PostgreSQL and print the statement.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return PlatformDemo.run(System.out);
    }
}
