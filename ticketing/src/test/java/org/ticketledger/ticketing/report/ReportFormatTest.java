package org.ticketledger.ticketing.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.Money;

/** CSV and JSON renderings of a report: decimal strings, one table, quoting where needed. */
class ReportFormatTest {

    private static Money yuan(String s) {
        return Money.parseCny(s);
    }

    private final FinancialReport report = new FinancialReport(Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"), Money.CNY, 10, 42, yuan("5000.00"), yuan("50.00"), yuan("2.25"),
            yuan("735.00"), yuan("12.34"), yuan("1015.50"), yuan("0.00"), yuan("1815.09"),
            List.of(new SpotFigures("sp-1", yuan("900.00"), yuan("900.00"), yuan("0.00"))), yuan("0.00"), yuan("0.00"),
            yuan("0.00"), yuan("0.00"), yuan("0.00"), yuan("0.00"), yuan("1234.56"),
            List.of(new AccountActivity(AccountCode.of("revenue:breakage"), AccountType.REVENUE, yuan("0.00"), yuan("0.00"),
                    yuan("1015.50"), yuan("1015.50"))), 123_456, 123_456);

    @Test
    void rendersOneCsvTableWithSummarySpotAccountAndTrialBalanceRows() {
        String csv = ReportFormat.csv(report);
        assertThat(csv.split("\r\n")).contains("section,name,type,opening,debits,credits,closing",
                "period,from,,,,,2026-12-01T00:00:00Z", "period,sequences,,10,,,42", "summary,breakage,,,,,1015.50",
                "summary,investment_yield,,,,,12.34", "spot,sp-1,,,900.00,900.00,0.00",
                "account,revenue:breakage,REVENUE,0.00,0.00,1015.50,1015.50", "trial_balance,closing,,,1234.56,1234.56,balanced");
    }

    @Test
    void rendersJsonWithDecimalStrings() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportFormat.json(report));
        assertThat(json.at("/summary/margin").asText()).isEqualTo("735.00");
        assertThat(json.at("/summary/margin").isTextual()).isTrue();
        assertThat(json.at("/spots/0/spot_id").asText()).isEqualTo("sp-1");
        assertThat(json.at("/accounts/0/credits").asText()).isEqualTo("1015.50");
        assertThat(json.at("/period/to_sequence").asLong()).isEqualTo(42);
        assertThat(json.at("/trial_balance/balanced").asBoolean()).isTrue();
    }
}
