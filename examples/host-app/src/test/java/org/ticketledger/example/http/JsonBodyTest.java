package org.ticketledger.example.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ticketledger.ledger.Money;

class JsonBodyTest {

    private static JsonBody parse(String json) {
        return JsonBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException failure(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "nope", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", "\u0000", "[1,2"})
    void malformedJsonIsA400(String body) {
        assertThat(failure(() -> parse(body)).problem().type()).isEqualTo(ProblemType.MALFORMED_JSON);
    }

    @Test
    void absurdlyLongNumbersAreRefusedBeforeParsing() {
        assertThat(failure(() -> parse("{\"n\":" + "9".repeat(5000) + "}")).problem().type()).isEqualTo(ProblemType.MALFORMED_JSON);
    }

    @Test
    void deepNestingIsRefused() {
        assertThat(failure(() -> parse("[".repeat(100) + "]".repeat(100))).problem().type()).isEqualTo(ProblemType.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "1", "\"x\"", "null", "true"})
    void aNonObjectIsAValidationProblem(String body) {
        assertThat(failure(() -> parse(body)).problem().type()).isEqualTo(ProblemType.VALIDATION_FAILED);
    }

    @Test
    void reportsEveryBadFieldWithAPointer() {
        JsonBody b = parse("""
                {"name": 5, "count": 99999999999999999999999, "amount": 101.5, "flag": "yes",
                 "nested": {"x": "1.001"}, "extra": 1}""");
        b.requiredString("name", 10);
        b.requiredLong("count", 0, 100);
        b.requiredAmount("amount", Money.CNY);
        b.requiredBoolean("flag");
        b.requiredObject("nested").requiredAmount("x", Money.CNY);
        b.requiredString("missing", 10);
        ApiException e = failure(b::done);
        assertThat(e.problem().type()).isEqualTo(ProblemType.VALIDATION_FAILED);
        assertThat(e.problem().errors()).extracting(FieldError::pointer)
                .containsExactlyInAnyOrder("/name", "/count", "/amount", "/flag", "/nested/x", "/missing", "/extra");
    }

    @Test
    void readsGoodValues() {
        JsonBody b = parse("""
                {"name": "d-1", "count": 7, "amount": "101.00", "flag": true, "items": [{"k": "a"}, {"k": "b"}]}""");
        assertThat(b.requiredString("name", 10)).isEqualTo("d-1");
        assertThat(b.requiredLong("count", 0, 100)).isEqualTo(7);
        assertThat(b.requiredAmount("amount", Money.CNY)).isEqualTo(Money.cny(10100));
        assertThat(b.requiredBoolean("flag")).isTrue();
        java.util.List<String> ks = new java.util.ArrayList<>();
        b.requiredObjects("items", 1, 5, item -> ks.add(item.requiredString("k", 1)));
        b.done();
        assertThat(ks).containsExactly("a", "b");
    }

    @Test
    void amountsMustBePositiveDecimalStrings() {
        JsonBody b = parse("{\"a\": \"0.00\", \"b\": \"-1.00\", \"c\": \"1e3\", \"d\": \"9999999999999999999999.00\"}");
        b.requiredAmount("a", Money.CNY);
        b.requiredAmount("b", Money.CNY);
        b.requiredAmount("c", Money.CNY);
        b.requiredAmount("d", Money.CNY);
        assertThat(failure(b::done).problem().errors()).hasSize(4);
    }

    @Test
    void emptyBodyIsMalformed() {
        assertThatThrownBy(() -> JsonBody.parse(new byte[0])).isInstanceOf(ApiException.class);
    }
}
