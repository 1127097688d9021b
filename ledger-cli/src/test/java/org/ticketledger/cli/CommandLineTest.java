package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ticketledger.cli.internal.journal.DatabaseTarget;

/** Usage errors, file errors and credential resolution, without a database. */
class CommandLineTest {

    @Test
    void missingArgumentsPrintUsageWithExitCode2() {
        Cli r = Cli.run("verify");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Missing required argument", "--db-url", "--file", "Usage:");
        Cli both = Cli.run("verify", "--file", "a", "--db-url", "jdbc:postgresql://x/y");
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli none = Cli.run();
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli badAsOf = Cli.run("balances", "--file", "a", "--as-of", "yesterday");
        assertThat(badAsOf.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badAsOf.err()).contains("not a sequence number or an ISO-8601 instant");
        Cli noAccount = Cli.run("statement", "--file", "a");
        assertThat(noAccount.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli badFormat = Cli.run("balances", "--file", "a", "--format", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void missingFileIsABadFile() {
        Cli r = Cli.run("verify", "--file", "/nonexistent/journal.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_FILE);
        assertThat(r.err()).contains("no such file: /nonexistent/journal.jsonl");
    }

    @Test
    void credentialsComeFromOptionsThenUrlThenEnvironment() {
        Map<String, String> env = Map.of("PGUSER", "env-user", "PGPASSWORD", "env-pw");
        DatabaseTarget fromEnv = DatabaseTarget.of("jdbc:postgresql://h:5432/db", Optional.empty(), Optional.empty(), env);
        assertThat(fromEnv.user()).contains("env-user");
        assertThat(fromEnv.password()).contains("env-pw");
        DatabaseTarget fromUrl = DatabaseTarget.of("postgresql://url-user:url%40pw@h:5432/db?sslmode=disable",
                Optional.empty(), Optional.empty(), env);
        assertThat(fromUrl.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslmode=disable");
        assertThat(fromUrl.user()).contains("url-user");
        assertThat(fromUrl.password()).contains("url@pw");
        DatabaseTarget fromOptions = DatabaseTarget.of("jdbc:postgresql://h/db?user=u&password=p", Optional.of("o-user"),
                Optional.of("o-pw"), env);
        assertThat(fromOptions.user()).contains("o-user");
        assertThat(fromOptions.password()).contains("o-pw");
        assertThat(fromOptions.redactedUrl()).isEqualTo("jdbc:postgresql://h/db?user=u&password=***");
        assertThat(fromOptions.toString()).doesNotContain("o-pw").doesNotContain("=p");
    }
}
