package org.ticketledger.ticketing.internal;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Problem;

/** Bean Validation of request records, turned into a {@link Problem} with field errors. */
final class Validation implements AutoCloseable {

    private final ValidatorFactory factory;
    private final Validator validator;

    Validation() {
        // Parameter interpolation needs no Expression Language implementation on the class path.
        this.factory = jakarta.validation.Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factory.getValidator();
    }

    /** The problem with {@code request}, if any. */
    Optional<Problem> check(Object request) {
        Set<ConstraintViolation<Object>> violations = validator.validate(request);
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        List<Problem.FieldError> fields = violations.stream()
                .map(v -> new Problem.FieldError(path(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::path).thenComparing(Problem.FieldError::message))
                .collect(Collectors.toList());
        String summary = fields.stream().map(f -> f.path() + " " + f.message()).collect(Collectors.joining("; "));
        return Optional.of(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: " + summary, fields));
    }

    private static String path(ConstraintViolation<?> v) {
        // Container elements (Optional<@Size String>) render as "field.<map value>" etc.; keep the field name.
        String p = v.getPropertyPath().toString();
        return p.replace(".<list element>", "").replace(".<map value>", "").replace("<iterable element>", "");
    }

    @Override
    public void close() {
        factory.close();
    }
}
