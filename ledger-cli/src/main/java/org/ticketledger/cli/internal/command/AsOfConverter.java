package org.ticketledger.cli.internal.command;

import org.ticketledger.cli.internal.report.Bound;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns {@code 1200} or {@code 2026-11-26T00:00:00Z} into a {@link Bound}; anything else is a usage error. */
final class AsOfConverter implements ITypeConverter<Bound> {

    @Override
    public Bound convert(String value) {
        try {
            return Bound.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
