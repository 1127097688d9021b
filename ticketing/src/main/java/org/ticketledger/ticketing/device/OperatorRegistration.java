package org.ticketledger.ticketing.device;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.party.Patterns;

/**
 * A gate operator account: a password, a PIN (4–12 digits, accepted only on devices of the
 * operator's spots), or both.
 *
 * @param username the login name ({@code [a-z0-9._-]}, 2–64)
 * @param name     the name shown on devices
 * @param password the password (8–128 characters), if any
 * @param pin      the PIN, if any
 * @param spotIds  the scenic spots the operator may work at
 */
public record OperatorRegistration(@NotNull @Pattern(regexp = "[a-z0-9._-]{2,64}") String username,
                                   @NotBlank @Size(max = 100) String name,
                                   @NotNull Optional<@Size(min = 8, max = 128) String> password,
                                   @NotNull Optional<@Pattern(regexp = "[0-9]{4,12}") String> pin,
                                   @NotEmpty List<@NotNull @Pattern(regexp = Patterns.ID) String> spotIds) {

    public OperatorRegistration {
        spotIds = spotIds == null ? null : List.copyOf(spotIds);
    }

    @Override
    public String toString() {
        return "OperatorRegistration[" + username + ", " + name + ", spots " + spotIds + "]";
    }
}
